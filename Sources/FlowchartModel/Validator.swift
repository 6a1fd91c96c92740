/// Static checks of charts against each other and the primitive catalogue. Every problem is
/// collected; nothing stops at the first.
public struct Validator: Sendable {
    /// The primitives charts may call, by name.
    public let catalog: [String: PrimitiveSignature]
    /// Charts that calls may name, by id (the charts under check and any others in the database).
    public let charts: [String: Chart]

    public init(catalog: [String: PrimitiveSignature], charts: [Chart]) {
        self.catalog = catalog
        var byID: [String: Chart] = [:]
        for chart in charts { byID[chart.id] = chart }
        self.charts = byID
    }

    /// Checks every chart the validator knows, in id order.
    public func validateAll() -> [Diagnostic] {
        charts.keys.sorted().flatMap { validate(charts[$0]!) }
    }

    /// Checks one chart.
    public func validate(_ chart: Chart) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func report(_ code: Diagnostic.Code, _ node: String?, _ message: String) {
            out.append(Diagnostic(code, chart: chart.id, node: node, message))
        }
        do { try chart.checkNames() } catch { report(.header, nil, error.description) }
        do { _ = try chart.argumentDeclarations() } catch {
            report(.header, nil, "the argument declaration '\(chart.arguments)' cannot be read: \(error.reason)")
        }
        guard let entry = chart.nodes.first else {
            report(.noEntry, nil, "the chart has no nodes, so it has no entry node")
            return out
        }
        if chart.nodes.count > Chart.maxNodes {
            report(.tooLarge, nil, "the chart has \(chart.nodes.count) nodes; at most \(Chart.maxNodes) are allowed")
            return out
        }
        // Nodes by id (the first of duplicates, as `Chart.node` finds it), so every lookup below is constant time.
        var byID: [String: Node] = [:]
        for node in chart.nodes where byID[node.id] == nil { byID[node.id] = node }

        // Ids: unique, and the prefix names the kind.
        var seen: Set<String> = []
        for node in chart.nodes {
            if !seen.insert(node.id).inserted {
                report(.duplicateNode, node.id, "the node id \(node.id) is used more than once")
            }
            if node.id.first != node.kind.prefix || !node.id.dropFirst().allSatisfy(\.isNumber) || node.id.count < 2 {
                report(
                    .badNodeID, node.id,
                    "a \(node.kind.rawValue) node's id is '\(node.kind.prefix)' followed by a number, not '\(node.id)'")
            }
        }

        // Edges: the right set for the kind, and every target present.
        for node in chart.nodes {
            let outcomes = node.edges.map(\.outcome)
            let expected: [[EdgeOutcome]]
            switch node.kind {
            case .decision, .wait: expected = [[.yes, .no]]
            case .action: expected = [[.next]]
            case .call: expected = [[.next], [.yes, .no]]
            case .end: expected = [[]]
            }
            if Set(outcomes).count != outcomes.count
                || !expected.contains(where: { Set($0) == Set(outcomes) && $0.count == outcomes.count })
            {
                let want = expected.map {
                    $0.isEmpty
                        ? "no edges"
                        : $0.map { $0 == .next ? "'-> X'" : "'\($0.rawValue) -> X'" }.joined(separator: " and ")
                }
                .joined(separator: ", or ")
                let have = outcomes.isEmpty ? "none" : outcomes.map(\.rawValue).joined(separator: ", ")
                report(.edges, node.id, "a \(node.kind.rawValue) node needs \(want); it has \(have)")
            }
            for edge in node.edges where byID[edge.target] == nil {
                report(
                    .danglingEdge, node.id,
                    "the \(edge.outcome.rawValue) edge leads to \(edge.target), which is not a node of this chart")
            }
        }

        // Reachability from the entry.
        var reached: Set<String> = [entry.id]
        var stack = [entry.id]
        while let id = stack.popLast() {
            for edge in byID[id]?.edges ?? [] where byID[edge.target] != nil && reached.insert(edge.target).inserted {
                stack.append(edge.target)
            }
        }
        // An unreachable node cannot misbehave, so it is a warning (a node just added and not yet wired).
        for node in chart.nodes where !reached.contains(node.id) {
            out.append(
                Diagnostic(
                    .unreachable, chart: chart.id, node: node.id,
                    "no path from the entry node \(entry.id) reaches \(node.id)", severity: .warning))
        }

        // Bodies. Whether a callee has an ok or fail end is worked out once per callee.
        var endsOkOrFail: [String: Bool] = [:]
        for node in chart.nodes {
            let body: NodeBody
            do { body = try node.parsedBody() } catch {
                let code: Diagnostic.Code = node.kind == .end ? .endOutcome : .syntax
                report(code, node.id, "cannot read '\(node.body)': \(error.reason)")
                continue
            }
            var problems: [(Diagnostic.Code, String)] = []
            check(body, node: node, endsOkOrFail: &endsOkOrFail, into: &problems)
            for (code, message) in problems { report(code, node.id, message) }
        }

        // A loop with no wait and no way out is certainly endless; one with an exit (a list walked
        // with a counter, say) may be fine, and the machine's step budget guards it at run time.
        for loop in loopsWithoutWait(chart) {
            let members = Set(loop)
            let hasExit = loop.contains { id in byID[id]?.edges.contains { !members.contains($0.target) } ?? false }
            if hasExit {
                out.append(
                    Diagnostic(
                        .loopWithoutWait, chart: chart.id, node: loop[0],
                        "the nodes \(loop.joined(separator: ", ")) form a loop with no wait node; make sure a decision in it always ends it",
                        severity: .warning))
            } else {
                report(
                    .loopWithoutWait, loop[0],
                    "the nodes \(loop.joined(separator: ", ")) form a loop with no wait node and no way out, so a run would go round it forever"
                )
            }
        }
        return out
    }

    // MARK: Bodies

    private func check(
        _ body: NodeBody, node: Node, endsOkOrFail: inout [String: Bool],
        into problems: inout [(Diagnostic.Code, String)]
    ) {
        switch body {
        case .decision(let call):
            check(call, allowed: [.predicate, .function], context: "a decision", into: &problems)
        case .action(let calls):
            for call in calls { check(call, allowed: [.action, .function], context: "an action", into: &problems) }
        case .call(let call):
            checkChartCall(call, node: node, endsOkOrFail: &endsOkOrFail, into: &problems)
        case .wait(let spec):
            for expr in [spec.signal, spec.value, spec.packet, spec.timer].compactMap({ $0 }) {
                checkValueExpr(expr, into: &problems)
            }
            if let binding = spec.binding { checkPath(binding, into: &problems) }
        case .end(let spec):
            if let value = spec.value { checkValueExpr(value, into: &problems) }
        }
    }

    private func checkChartCall(
        _ call: Call, node: Node, endsOkOrFail: inout [String: Bool],
        into problems: inout [(Diagnostic.Code, String)]
    ) {
        for argument in call.arguments { checkValueExpr(argument.value, into: &problems) }
        if let result = call.result { checkPath(result, into: &problems) }
        guard let callee = charts[call.name] else {
            problems.append((.missingChart, "calls the chart \(call.name), which does not exist"))
            return
        }
        if let declared = try? callee.argumentDeclarations() {
            for argument in call.arguments where !declared.contains(where: { $0.name == argument.label }) {
                problems.append(
                    (
                        .callArguments,
                        "passes '\(argument.label ?? "?")' to \(callee.id), which declares no such argument"
                    ))
            }
            for decl in declared
            where decl.defaultValue == nil && !call.arguments.contains(where: { $0.label == decl.name }) {
                problems.append(
                    (.callArguments, "does not pass '\(decl.name)', which \(callee.id) needs (it has no default)"))
            }
        }
        if node.edges.contains(where: { $0.outcome == .yes }) {
            let hasOkFail =
                endsOkOrFail[callee.id]
                ?? {
                    let ends = callee.nodes.filter { $0.kind == .end }.compactMap { try? $0.parsedBody() }
                    return ends.contains {
                        if case .end(let s) = $0 { s.outcome == .ok || s.outcome == .fail } else { false }
                    }
                }()
            endsOkOrFail[callee.id] = hasOkFail
            if !hasOkFail {
                problems.append(
                    (.edges, "has yes/no edges, but \(callee.id) has no 'ok' or 'fail' end to choose between them"))
            }
        }
    }

    private func check(
        _ call: Call, allowed: Set<PrimitiveKind>, context: String,
        into problems: inout [(Diagnostic.Code, String)]
    ) {
        if let result = call.result { checkPath(result, into: &problems) }
        guard let signature = catalog[call.name] else {
            for argument in call.arguments { checkValueExpr(argument.value, allowCalls: true, into: &problems) }
            problems.append(
                (.unknownPrimitive, "calls \(call.name), which is not a known primitive (see 'l7flow primitives')"))
            return
        }
        if !allowed.contains(signature.kind) {
            problems.append(
                (
                    .wrongKind,
                    "\(call.name) is \(signature.kind == .action ? "an action" : "a predicate") and cannot be used in \(context)"
                ))
        }
        if call.result != nil && signature.result == nil {
            problems.append((.argumentType, "\(call.name) returns nothing that 'as' could store"))
        }

        // Bind arguments to parameters: positional ones in order, then labelled ones by name.
        var bound: [String: Expr] = [:]
        var variadicCount = 0
        var positional = 0
        for argument in call.arguments {
            let parameter: ParameterSignature
            if let label = argument.label {
                guard let p = signature.parameters.first(where: { $0.name == label }) else {
                    problems.append(
                        (
                            .arity,
                            "\(call.name) has no parameter '\(label)' (it takes \(signature.parameters.map(\.name).joined(separator: ", ")))"
                        ))
                    continue
                }
                parameter = p
            } else if positional < signature.parameters.count {
                parameter = signature.parameters[positional]
                if !parameter.variadic { positional += 1 }
            } else {
                problems.append(
                    (
                        .arity,
                        "\(call.name) takes \(signature.parameters.count) argument\(signature.parameters.count == 1 ? "" : "s"), not \(call.arguments.count)"
                    ))
                continue
            }
            if parameter.variadic {
                variadicCount += 1
            } else if bound[parameter.name] != nil {
                problems.append((.arity, "\(call.name) gets '\(parameter.name)' twice"))
            }
            bound[parameter.name] = argument.value
            checkArgument(argument.value, parameter, primitive: call.name, into: &problems)
        }
        for parameter in signature.parameters
        where bound[parameter.name] == nil && parameter.defaultValue == nil && !parameter.variadic {
            problems.append((.arity, "\(call.name) needs the argument '\(parameter.name)'"))
        }
        if let v = signature.parameters.last, v.variadic, variadicCount == 0 {
            problems.append((.arity, "\(call.name) needs at least one '\(v.name)'"))
        }
    }

    private func checkArgument(
        _ expr: Expr, _ parameter: ParameterSignature, primitive: String,
        into problems: inout [(Diagnostic.Code, String)]
    ) {
        switch parameter.passing {
        case .path:
            guard case .path(let path) = expr else {
                problems.append(
                    (.argumentType, "\(primitive) needs a context path for '\(parameter.name)', not a value"))
                return
            }
            checkPath(path, into: &problems)
        case .predicate:
            guard case .call(let inner) = expr else {
                problems.append(
                    (.argumentType, "\(primitive) needs a predicate call such as eq(a, b) for '\(parameter.name)'"))
                return
            }
            check(inner, allowed: [.predicate, .function], context: "\(primitive)(...)", into: &problems)
        case .value:
            checkValueExpr(expr, into: &problems)
            if let constant = expr.constant {
                if constant.isNull {
                    if !parameter.nullable {
                        problems.append(
                            (
                                .argumentType,
                                "\(primitive) needs a \(parameter.type.rawValue) for '\(parameter.name)', not null"
                            ))
                    }
                } else if !parameter.type.accepts(constant) {
                    problems.append(
                        (
                            .argumentType,
                            "\(primitive) needs a \(parameter.type.rawValue) for '\(parameter.name)', not the \(constant.typeName) \(JSON.encode(constant))"
                        ))
                }
            } else if case .template = expr, ![.string, .any].contains(parameter.type) {
                problems.append(
                    (
                        .argumentType,
                        "\(primitive) needs a \(parameter.type.rawValue) for '\(parameter.name)', not a string"
                    ))
            } else if case .list = expr, ![.list, .any].contains(parameter.type) {
                problems.append(
                    (
                        .argumentType,
                        "\(primitive) needs a \(parameter.type.rawValue) for '\(parameter.name)', not a list"
                    ))
            } else if case .map = expr, ![.map, .any].contains(parameter.type) {
                problems.append(
                    (
                        .argumentType,
                        "\(primitive) needs a \(parameter.type.rawValue) for '\(parameter.name)', not a map"
                    ))
            }
        }
    }

    private func checkValueExpr(
        _ expr: Expr, allowCalls: Bool = false, into problems: inout [(Diagnostic.Code, String)]
    ) {
        switch expr {
        case .literal: break
        case .path(let p): checkPath(p, into: &problems)
        case .template(let parts):
            for case .path(let p) in parts { checkPath(p, into: &problems) }
        case .list(let items): for item in items { checkValueExpr(item, allowCalls: allowCalls, into: &problems) }
        case .map(let entries): for e in entries { checkValueExpr(e.value, allowCalls: allowCalls, into: &problems) }
        case .call(let call):
            if !allowCalls {
                problems.append(
                    (
                        .syntax,
                        "\(call.name)(...) is a call where a value is expected; only not, all and any take calls as arguments"
                    ))
            }
        }
    }

    private func checkPath(_ path: Path, into problems: inout [(Diagnostic.Code, String)]) {
        if !Path.roots.contains(path.root) {
            problems.append(
                (
                    .unknownRoot,
                    "the path \(path) starts with '\(path.root)', which is not a context root (\(Path.roots.joined(separator: ", ")))"
                ))
        }
        // Each computed key is checked once, with the keys nested in it: linear in the path's size.
        for case .computed(let key) in path.segments { checkPath(key, into: &problems) }
    }

    // MARK: Loops

    /// Strongly connected groups of non-wait nodes that contain a cycle (Tarjan's algorithm, with
    /// an explicit stack so that a chart of any length cannot overflow the call stack).
    func loopsWithoutWait(_ chart: Chart) -> [[String]] {
        let nodes = chart.nodes.filter { $0.kind != .wait }
        var index: [String: Int] = [:]
        for (i, n) in nodes.enumerated() where index[n.id] == nil { index[n.id] = i }
        let successors: [[Int]] = nodes.map { n in n.edges.compactMap { index[$0.target] } }
        var order = Array(repeating: -1, count: nodes.count)
        var low = Array(repeating: 0, count: nodes.count)
        var onStack = Array(repeating: false, count: nodes.count)
        var stack: [Int] = []
        var counter = 0
        var loops: [[String]] = []
        // The depth-first walk: each entry is a node and how many of its successors were visited.
        var walk: [(node: Int, next: Int)] = []

        func enter(_ v: Int) {
            order[v] = counter
            low[v] = counter
            counter += 1
            stack.append(v)
            onStack[v] = true
            walk.append((v, 0))
        }
        for root in nodes.indices where order[root] < 0 {
            enter(root)
            while let (v, next) = walk.last {
                if next < successors[v].count {
                    walk[walk.count - 1].next += 1
                    let w = successors[v][next]
                    if order[w] < 0 { enter(w) } else if onStack[w] { low[v] = min(low[v], order[w]) }
                    continue
                }
                walk.removeLast()
                if let parent = walk.last?.node { low[parent] = min(low[parent], low[v]) }
                guard low[v] == order[v] else { continue }
                var group: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    group.append(w)
                    if w == v { break }
                }
                if group.count > 1 || successors[v].contains(v) {
                    loops.append(group.sorted().map { nodes[$0].id })
                }
            }
        }
        return loops
    }
}
