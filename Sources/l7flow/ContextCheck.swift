import FlowStore
import FlowchartModel

/// What `run --strict` checks before a run: the context against the paths the chart (and every
/// chart it calls) names, so that a typo such as `iface.dhcp_clinet` is noticed instead of
/// silently reading null. Two findings:
/// - a path a node reads under `device`, `iface` or `session` (the state a context describes;
///   messages have optional fields) that the context does not have at some level
///   (`iface.dhcp_client` is missing) while no node of those charts writes it;
/// - an entry of the context that no node names at all, with a name close to one they do
///   name (`iface.dhcp_clinet` beside `iface.dhcp_client`).
/// `env` is left out (the engine keeps the clock and ids there), as are `local` and `args`
/// reads (a run makes them).
struct ContextCheck {
    /// One place a chart names a context path.
    struct Mention {
        let chart: String
        let node: String
        let path: Path
        /// Written (or only inspected as a location, e.g. `exists`), not read as a value.
        let written: Bool

        /// The root and the plain keys after it, up to the first index or computed key.
        var keys: [String] {
            var out = [path.root]
            for segment in path.segments {
                guard case .key(let k) = segment else { break }
                out.append(k)
            }
            return out
        }

    }

    let mentions: [Mention]

    /// The mentions in `charts`, using the primitives' signatures to tell paths written apart.
    init(charts: [Chart], catalog: [String: PrimitiveSignature]) {
        var out: [Mention] = []
        for chart in charts {
            for node in chart.nodes {
                guard let body = try? node.parsedBody() else { continue }
                func add(_ path: Path, written: Bool) {
                    out.append(Mention(chart: chart.id, node: node.id, path: path, written: written))
                    for key in path.computedKeys {
                        out.append(Mention(chart: chart.id, node: node.id, path: key, written: false))
                    }
                }
                func visit(_ expr: Expr) {
                    switch expr {
                    case .call(let call): visitCall(call)
                    default: for p in expr.paths { add(p, written: false) }
                    }
                }
                func visitCall(_ call: Call) {
                    let parameters = catalog[call.name]?.parameters ?? []
                    for (i, argument) in call.arguments.enumerated() {
                        let parameter =
                            argument.label.flatMap { l in parameters.first { $0.name == l } }
                            ?? (i < parameters.count
                                ? parameters[i] : parameters.last.flatMap { $0.variadic ? $0 : nil })
                        if parameter?.passing == .path, case .path(let p) = argument.value {
                            add(p, written: true)
                        } else {
                            visit(argument.value)
                        }
                    }
                    if let result = call.result { add(result, written: true) }
                }
                switch body {
                case .decision(let call), .call(let call): visitCall(call)
                case .action(let calls): calls.forEach(visitCall)
                case .wait(let wait):
                    for expr in [wait.signal, wait.value, wait.packet, wait.timer].compactMap({ $0 }) { visit(expr) }
                    if let binding = wait.binding { add(binding, written: true) }
                case .end(let end): if let value = end.value { visit(value) }
                }
            }
        }
        mentions = out
    }

    /// The findings for a starting context, one sentence each, in a stable order.
    func warnings(for context: Value) -> [String] {
        missingReads(context) + unnamedEntries(context)
    }

    /// Paths read that the context lacks, grouped by the first missing key.
    private func missingReads(_ context: Value) -> [String] {
        let written = mentions.filter(\.written).map(\.keys)
        var readers: [String: [String]] = [:]
        var order: [String] = []
        var hints: [String: String] = [:]
        for mention in mentions where !mention.written && ["device", "iface", "session"].contains(mention.path.root) {
            let keys = mention.keys
            guard var value = context[keys[0]].map else { continue }
            for depth in 1..<keys.count {
                let prefix = Array(keys[...depth])
                guard let next = value[keys[depth]] else {
                    // A path some node writes (or a longer one under it) is the chart's own to make.
                    if written.contains(where: { keys.starts(with: $0) || $0.starts(with: keys) }) { break }
                    let missing = prefix.joined(separator: ".")
                    if readers[missing] == nil { order.append(missing) }
                    readers[missing, default: []].append("\(mention.chart) \(mention.node)")
                    let unread = value.keys.filter { key in
                        !mentions.contains {
                            $0.keys.count > depth && Array($0.keys.prefix(depth + 1)) == prefix.dropLast() + [key]
                        }
                    }
                    if let near = ContextCheck.nearest(keys[depth], among: unread) {
                        hints[missing] = (prefix.dropLast() + [near]).joined(separator: ".")
                    }
                    break
                }
                guard case .map(let inner) = next else { break }
                value = inner
            }
        }
        return order.map { missing in
            let who = Array(Set(readers[missing]!)).sorted()
            return
                "the context has no \(missing), which \(who.prefix(3).joined(separator: ", "))\(who.count > 3 ? " and others" : "") read"
                + (hints[missing].map { " (it has \($0): a typo?)" } ?? "")
        }
    }

    /// Entries of the context that no node names, at the shallowest level where that is so.
    private func unnamedEntries(_ context: Value) -> [String] {
        var out: [String] = []
        func walk(_ value: [String: Value], _ prefix: [String]) {
            for key in value.keys.sorted() {
                let keys = prefix + [key]
                let related = mentions.map(\.keys).filter {
                    Array($0.prefix(keys.count)) == keys || keys.starts(with: $0)
                }
                if related.isEmpty {
                    let siblings = Set(
                        mentions.map(\.keys).filter {
                            $0.count > prefix.count && Array($0.prefix(prefix.count)) == prefix
                        }
                        .map { $0[prefix.count] })
                    // Only a near miss: primitives read some entries themselves (device.kind, ...).
                    // The name it was meant to be is missing from the context (else this is no typo of it).
                    if let near = ContextCheck.nearest(key, among: siblings.filter { value[$0] == nil }) {
                        out.append(
                            "the context has \(keys.joined(separator: ".")), which no node of these charts reads or writes "
                                + "(did you mean \((prefix + [near]).joined(separator: "."))?)")
                    }
                    continue
                }
                // A node that names this entry, or a map holding it, may use all below it.
                let wholeUsed = related.contains { keys.starts(with: $0) }
                if !wholeUsed, case .map(let inner)? = value[key] { walk(inner, keys) }
            }
        }
        guard case .map(let roots) = context else { return [] }
        for root in roots.keys.sorted() where root != "env" {
            if case .map(let inner) = roots[root]! {
                if mentions.contains(where: { $0.keys == [root] }) { continue }
                walk(inner, [root])
            }
        }
        return out
    }

    /// The candidate closest to `word` by edit distance, if close enough to be a typo of it: one
    /// edit for a short name, two for a name of six letters or more (and not itself).
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        candidates.filter { $0 != word }.map { ($0, distance(word, $0)) }.filter {
            $0.1 <= (min(word.count, $0.0.count) >= 6 ? 2 : 1)
        }
        .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
