import FlowEngine
import FlowchartModel
import Foundation

/// The trace for people: one line a step, indented by call depth, with each decision's question,
/// the branch taken, the values it read and what its `as` bound; each action's primitives with
/// their results; the messages sent as indented blocks in the order their chart wrote the fields.
/// Long values are folded at the width; without `full`, deep or long values are summarised.
struct TraceText {
    /// How the text is laid out.
    struct Style {
        /// Columns to fold at.
        var width = 100
        /// Show every value whole instead of summarising deep and long ones.
        var full = false
        /// ANSI colours (yes/no, sent, ends).
        var color = false

        /// The style for standard output: the terminal's width and colour when it is a terminal
        /// (no colour with `NO_COLOR` or a dumb terminal), else 100 columns and no colour.
        static func forStandardOutput(width: Int?, full: Bool) -> Style {
            let terminal = isatty(STDOUT_FILENO) == 1
            let env = ProcessInfo.processInfo.environment
            let color = terminal && env["NO_COLOR"].map(\.isEmpty) ?? true && env["TERM"] != "dumb"
            return Style(width: width ?? (terminal ? terminalWidth() : nil) ?? 100, full: full, color: color)
        }

        static func terminalWidth() -> Int? {
            var size = winsize()
            guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 else { return nil }
            return Int(size.ws_col)
        }
    }

    let style: Style
    /// Charts by id, to show calls and field orders as the chart writes them.
    let charts: [String: Chart]

    /// Field orders of the messages the charts write as literals, by message type and by
    /// protocol (for messages a primitive builds, such as `dhcp.reply`'s).
    let ordersByType: [String: [String: [String]]]
    let ordersByProtocol: [String: [String: [String]]]

    /// `charts`: the charts a run may show (give them all: messages built by primitives take the
    /// field order of another chart's literal of the same protocol).
    init(style: Style = Style(), charts: [Chart] = []) {
        self.style = style
        self.charts = Dictionary(charts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byType: [String: [String: [String]]] = [:]
        var byProtocol: [String: [String: [String]]] = [:]
        for chart in charts.sorted(by: { $0.id < $1.id }) {
            for node in chart.nodes where node.kind == .action {
                guard case .action(let calls)? = try? node.parsedBody() else { continue }
                for call in calls where ["send", "reply"].contains(call.name) {
                    guard let fields = call.arguments.first(where: { $0.label == "fields" })?.value else { continue }
                    var order: [String: [String]] = [:]
                    TraceText.collectOrder(fields, path: "", into: &order)
                    if case .literal(.string(let type))? = call.arguments.first?.value, byType[type] == nil {
                        byType[type] = order
                    }
                    byProtocol[chart.protocolName, default: [:]].merge(order) { old, new in
                        old + new.filter { !old.contains($0) }
                    }
                }
            }
        }
        ordersByType = byType
        ordersByProtocol = byProtocol
    }

    // MARK: Colour

    private func paint(_ text: String, _ code: String) -> String {
        style.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    private func outcome(_ o: String?) -> String {
        switch o {
        case "yes": paint("yes", "32")
        case "no": paint("no", "33")
        default: o ?? "?"
        }
    }
    private func endText(_ outcome: String) -> String {
        switch outcome {
        case "dropped", "fail": paint(outcome, "31")
        case "consumed", "ok", "done": paint(outcome, "32")
        default: outcome
        }
    }

    // MARK: Rendering

    func render(_ report: RunReport) -> String {
        var out = "\(report.chart) (revision \(report.revision))\n"
        for step in report.steps {
            let indent = String(repeating: "    ", count: step.depth + 1)
            let detailIndent = indent + "      "
            let prefix = step.depth > 0 ? "\(step.flowchart)/" : ""
            switch step.kind {
            case .decision:
                out += "\(indent)\(prefix)\(step.node)  \(step.label)  -> \(outcome(step.outcome))\n"
                if !step.reads.isEmpty {
                    out += fold("read ", step.reads.map { ($0.0, $0.1) }, indent: detailIndent)
                }
                for effect in step.effects { out += describe(effect, bound: true, indent: detailIndent) }
            case .wait:
                out +=
                    "\(indent)\(prefix)\(step.node)  \(step.label)  -> \(outcome(step.outcome)) (\(step.detail["woken_by"]?.text ?? ""), t=\(Value.double(step.at).text))\n"
            case .action:
                out += "\(indent)\(prefix)\(step.node)  \(step.label)\n"
                out += actionLines(step, indent: detailIndent)
            case .call:
                let end = step.detail["end"]?.text ?? "?"
                out += "\(indent)\(prefix)\(step.node)  call \(step.detail["callee"]?.text ?? "") -> \(endText(end))\n"
            case .end:
                let end = step.detail["end"]?.text ?? ""
                out += "\(indent)\(prefix)\(step.node)  end \(endText(end)): \(step.label)\n"
            }
        }
        switch report.status {
        case .ended(let end):
            out += "ended at \(end.node) (\(endText(end.outcome.rawValue)))"
            out += end.refusal.map { ": the packet was dropped, \($0)\n" } ?? "\n"
        case .waiting(let wait): out += "still waiting at \(wait.chart) \(wait.node) (nothing more arrived)\n"
        default: break
        }
        if !report.sent.isEmpty {
            out += "sent:\n"
            for (i, m) in report.sent.enumerated() {
                let order =
                    fieldOrder(ofSend: i, in: report) ?? ordersByType[m.type] ?? m.fields["protocol"].string.flatMap {
                        ordersByProtocol[$0]
                    } ?? [:]
                out += message(m, order: order)
            }
        }
        if !report.reports.isEmpty { out += "reports:\n" + report.reports.map { "    \($0)\n" }.joined() }
        if !report.timersStarted.isEmpty {
            out +=
                "timers started: "
                + report.timersStarted.map { "\($0.name) (\(Value.double($0.seconds).text) s)" }.joined(separator: ", ")
                + "\n"
        }
        if !report.timersCancelled.isEmpty {
            out += "timers cancelled: " + report.timersCancelled.joined(separator: ", ") + "\n"
        }
        if !report.signals.isEmpty {
            out +=
                "signals: " + report.signals.map { "\($0.name)(\(JSON.encode($0.value)))" }.joined(separator: ", ")
                + "\n"
        }
        if !report.ignored.isEmpty { out += "not delivered:\n" + report.ignored.map { "    \($0)\n" }.joined() }
        return out
    }

    /// An action's effects, a primitive that stored its result with `as` shown as that call and
    /// its result.
    private func actionLines(_ step: TraceStep, indent: String) -> String {
        var calls: [Call] = []
        if let node = charts[step.flowchart]?.node(step.node), case .action(let parsed)? = try? node.parsedBody() {
            // A message kept with `send ... as` is shown as the set it is (the message itself is under "sent:").
            calls = parsed.filter { $0.result != nil && !["set", "send", "reply"].contains($0.name) }
        }
        var out = ""
        var pending = calls[...]
        for effect in step.effects {
            if let path = effect["set"].string, let call = pending.first(where: { $0.result?.description == path }) {
                pending = pending.drop { $0 != call }.dropFirst()
                out += fold("\(call.notation) -> ", value: effect["value"], suffix: " as \(path)", indent: indent)
            } else {
                out += describe(effect, bound: false, indent: indent)
            }
        }
        return out
    }

    private func describe(_ effect: Value, bound: Bool, indent: String) -> String {
        guard case .map(let m) = effect else { return indent + JSON.encode(effect) + "\n" }
        if let path = m["set"]?.string {
            return fold(bound ? "bound \(path) = " : "set \(path) = ", value: m["value"] ?? .null, indent: indent)
        }
        if let path = m["unset"]?.string { return "\(indent)unset \(path)\n" }
        if let path = m["append"]?.string {
            return fold("append to \(path): ", value: m["value"] ?? .null, indent: indent)
        }
        if let path = m["remove"]?.string {
            return
                "\(indent)remove from \(path) where \(JSON.encode(m["where"] ?? .null)) (\(m["removed"]?.text ?? "0") removed)\n"
        }
        if let type = m["send"]?.string {
            return "\(indent)" + paint("send \(type) to \(m["to"]?.text ?? "")", "36") + "\n"
        }
        if let name = m["start_timer"]?.string {
            return "\(indent)start timer \(name) (\(m["seconds"]?.text ?? "") s)\n"
        }
        if let name = m["cancel_timer"]?.string { return "\(indent)cancel timer \(name)\n" }
        if let name = m["signal"]?.string { return fold("signal \(name) ", value: m["value"] ?? .null, indent: indent) }
        if let text = m["report"]?.string { return "\(indent)report \"\(text)\"\n" }
        if let text = m["log"]?.string { return "\(indent)log \"\(text)\"\n" }
        if let path = m["bind"]?.string { return "\(indent)bind \(path) to \(m["to"]?.text ?? "")\n" }
        if let op = m["tcp"]?.string { return "\(indent)tcp \(op)\(m["to"].map { " to \($0.text)" } ?? "")\n" }
        return indent + JSON.encode(effect) + "\n"
    }

    // MARK: Messages

    /// Fields the header line of a sent message shows.
    static let addressing: Set<String> = ["type", "protocol", "transport", "src_ip", "src_port", "dst_ip", "dst_port"]

    private func message(_ m: SentMessage, order: [String: [String]]) -> String {
        let f = m.fields
        let from = "\(f["src_ip"].text):\(f["src_port"].text)"
        var out = "    t=\(Value.double(m.at).text)  " + paint(m.type, "36") + "  \(from) -> \(m.to)"
        if let transport = f["transport"].string { out += "  \(transport)" }
        out += "\n"
        guard case .map(let fields) = f else { return out }
        let body = fields.filter { !Self.addressing.contains($0.key) }
        out += block(body, path: "", order: order, indent: "        ", depth: 0)
        return out
    }

    /// The key order a chart's `send`/`reply` literal gives each map of the message (by dotted
    /// path; "" is the message itself), for the `index`-th message the run sent.
    private func fieldOrder(ofSend index: Int, in report: RunReport) -> [String: [String]]? {
        var seen = 0
        for step in report.steps where step.kind == .action {
            for effect in step.effects where effect["send"].string != nil {
                defer { seen += 1 }
                guard seen == index else { continue }
                guard let node = charts[step.flowchart]?.node(step.node),
                    case .action(let calls)? = try? node.parsedBody()
                else { return nil }
                let sends = calls.filter { ["send", "reply"].contains($0.name) }
                let sendIndex = step.effects.prefix { $0 != effect }.filter { $0["send"].string != nil }.count
                guard sendIndex < sends.count,
                    let fields = sends[sendIndex].arguments.first(where: { $0.label == "fields" })?.value
                else { return nil }
                var order: [String: [String]] = [:]
                TraceText.collectOrder(fields, path: "", into: &order)
                return order
            }
        }
        return nil
    }

    private static func collectOrder(_ e: Expr, path: String, into order: inout [String: [String]]) {
        guard case .map(let entries) = e else { return }
        order[path] = entries.map(\.key)
        for entry in entries {
            TraceText.collectOrder(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", into: &order)
        }
    }

    /// A map as indented `key: value` lines: keys in the chart's order, then the rest by name.
    private func block(_ map: [String: Value], path: String, order: [String: [String]], indent: String, depth: Int)
        -> String
    {
        let written = (order[path] ?? []).filter { map[$0] != nil }
        let keys = written + map.keys.filter { !written.contains($0) }.sorted()
        var out = ""
        for key in keys {
            let value = map[key]!
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            let line = "\(indent)\(key): \(JSON.encode(value))"
            if case .map(let inner) = value, !inner.isEmpty, line.count > style.width, style.full || depth < 2 {
                out +=
                    "\(indent)\(key):\n"
                    + block(inner, path: childPath, order: order, indent: indent + "    ", depth: depth + 1)
            } else {
                out += fold("\(key): ", value: value, indent: indent)
            }
        }
        return out
    }

    // MARK: Folding

    /// `prefix` and a value on one line when it fits the width; otherwise the value folded onto
    /// indented continuation lines (never cut in the middle of a token unless a token is longer
    /// than a line), and without `full` summarised past a few lines.
    private func fold(_ prefix: String, value: Value?, suffix: String = "", indent: String) -> String {
        let text = JSON.encode(value ?? .null)
        let first = indent + prefix + text + suffix
        if first.count <= style.width { return first + "\n" }
        let tokens = Self.tokens(of: text) + (suffix.isEmpty ? [] : [suffix])
        let continuation = indent + "    "
        var lines: [String] = []
        var line = indent + prefix
        for token in tokens {
            if line.count + token.count > style.width, line.count > continuation.count {
                lines.append(line.hasSuffix(" ") ? String(line.dropLast()) : line)
                line = continuation
            }
            line += token
        }
        lines.append(line)
        let limit = 6
        if !style.full, lines.count > limit {
            let hidden = lines.count - limit
            lines = Array(lines.prefix(limit))
            lines.append(continuation + "… \(hidden) more line\(hidden == 1 ? "" : "s") (--full shows all)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func fold(_ prefix: String, _ reads: [(String, Value)], indent: String) -> String {
        let text = reads.map { "\($0.0) = \(JSON.encode($0.1))" }.joined(separator: ", ")
        if (indent + prefix + text).count <= style.width { return indent + prefix + text + "\n" }
        return reads.enumerated().map { i, read in
            fold(i == 0 ? prefix + "\(read.0) = " : "     \(read.0) = ", value: read.1, indent: indent)
        }.joined()
    }

    /// Splits compact JSON after each `,` outside strings, so folds fall between members.
    static func tokens(of json: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inString = false
        var escaped = false
        for c in json {
            // The space after a comma goes with the comma's token.
            if !inString, c == " ", current.isEmpty, !out.isEmpty { continue }
            current.append(c)
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else if c == "\"" {
                inString = true
            } else if c == "," {
                out.append(current + " ")
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
