import FlowchartModel

/// Turns validated charts into array-indexed programs: primitives resolved, arguments bound to
/// parameter slots, paths pre-parsed, successors as indices. Nothing is looked up by name at run time.
public struct Compiler: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// A chart and the revision it was loaded at.
    public struct Input: Sendable {
        public let chart: Chart
        public let revision: Int
        public init(_ chart: Chart, revision: Int = 1) {
            self.chart = chart
            self.revision = revision
        }
    }

    /// Validates and compiles the charts; throws every diagnostic when any chart is invalid.
    public func compile(_ inputs: [Input]) throws(CompileFailure) -> ProgramSet {
        let validator = Validator(catalog: registry.catalog, charts: inputs.map(\.chart))
        let diagnostics = inputs.flatMap { validator.validate($0.chart) }.filter { $0.severity == .error }
        if !diagnostics.isEmpty { throw CompileFailure(diagnostics: diagnostics) }
        var index: [String: Int] = [:]
        for (i, input) in inputs.enumerated() { index[input.chart.id] = i }
        var programs: [Program] = []
        for input in inputs {
            do {
                programs.append(try program(input, index: index))
            } catch {
                throw CompileFailure(diagnostics: [error])
            }
        }
        return ProgramSet(programs: programs, index: index, messageTypes: registry.messageTypes)
    }

    /// Recompiles only `changed` charts of a set whose chart ids stay the same; each is validated
    /// against `all` (every chart, the changed ones included). Calls keep their indices.
    public func recompile(_ set: ProgramSet, changed: [Input], all: [Chart]) throws(CompileFailure) -> ProgramSet {
        let validator = Validator(catalog: registry.catalog, charts: all)
        let diagnostics = changed.flatMap { validator.validate($0.chart) }.filter { $0.severity == .error }
        if !diagnostics.isEmpty { throw CompileFailure(diagnostics: diagnostics) }
        var programs = set.programs
        for input in changed {
            guard let i = set.index[input.chart.id] else {
                throw CompileFailure(diagnostics: [
                    Diagnostic(.missingChart, chart: input.chart.id, node: nil, "is not part of the compiled set")
                ])
            }
            do { programs[i] = try program(input, index: set.index) } catch {
                throw CompileFailure(diagnostics: [error])
            }
        }
        return ProgramSet(programs: programs, index: set.index, messageTypes: set.messageTypes)
    }

    private func program(_ input: Input, index: [String: Int]) throws(Diagnostic) -> Program {
        let chart = input.chart
        var position: [String: Int] = [:]
        for (i, node) in chart.nodes.enumerated() { position[node.id] = i }
        var nodes: [CNode] = []
        for node in chart.nodes {
            func fail(_ message: String) -> Diagnostic { Diagnostic(.syntax, chart: chart.id, node: node.id, message) }
            let op: CNode.Op
            do {
                switch try node.parsedBody() {
                case .decision(let call): op = .decision(try compile(call))
                case .action(let calls):
                    var compiled: [CCall] = []
                    for c in calls { compiled.append(try compile(c)) }
                    op = .action(compiled)
                case .call(let call):
                    guard let callee = index[call.name] else {
                        throw PrimitiveError("calls the chart \(call.name), which is not loaded")
                    }
                    var args: [(String, CExpr)] = []
                    for a in call.arguments { args.append((a.label ?? "", try compile(a.value))) }
                    let result = try ContextPath(call.result ?? Path(root: "local", segments: [.key("ret")]))
                    op = .call(callee: callee, args: args, result: result, branches: node.target(.yes) != nil)
                case .wait(let spec):
                    op = .wait(
                        CWait(
                            signals: try spec.signal.map(compile), value: try spec.value.map(compile),
                            packets: try spec.packet.map(compile), timer: try spec.timer.map(compile),
                            binding: try spec.binding.map { p throws(PrimitiveError) in try ContextPath(p) }))
                case .end(let spec):
                    op = .end(spec.outcome, try spec.value.map(compile))
                }
            } catch let error as NotationError {
                throw fail(error.reason)
            } catch let error as PrimitiveError {
                throw fail(error.message)
            } catch {
                throw fail("\(error)")
            }
            var successors = (next: -1, yes: -1, no: -1)
            for edge in node.edges {
                guard let target = position[edge.target] else { throw fail("edge to missing node \(edge.target)") }
                switch edge.outcome {
                case .next: successors.next = target
                case .yes: successors.yes = target
                case .no: successors.no = target
                }
            }
            nodes.append(
                CNode(
                    site: TraceSite(flowchart: chart.id, node: node.id, kind: node.kind, label: node.label), op: op,
                    next: successors.next, yes: successors.yes, no: successors.no))
        }
        let declared: [(String, Value?)]
        do { declared = try chart.argumentDeclarations().map { ($0.name, $0.defaultValue) } } catch {
            throw Diagnostic(.header, chart: chart.id, node: nil, error.reason)
        }
        return Program(chartID: chart.id, revision: input.revision, nodes: nodes, arguments: declared)
    }

    func compile(_ expr: Expr) throws(PrimitiveError) -> CExpr {
        if let constant = expr.constant { return .constant(constant) }
        switch expr {
        case .literal(let v): return .constant(v)
        case .path(let p): return .path(try ContextPath(p))
        case .template(let parts):
            var out: [CPart] = []
            for part in parts {
                switch part {
                case .text(let t): out.append(.text(t))
                case .path(let p): out.append(.path(try ContextPath(p)))
                }
            }
            return .template(out)
        case .list(let items):
            var out: [CExpr] = []
            for item in items { out.append(try compile(item)) }
            return .list(out)
        case .map(let entries):
            var out: [(String, CExpr)] = []
            for e in entries { out.append((e.key, try compile(e.value))) }
            return .map(out)
        case .call(let call):
            throw PrimitiveError("\(call.name)(...) cannot be used as a value")
        }
    }

    func compile(_ call: Call) throws(PrimitiveError) -> CCall {
        guard let primitive = registry.primitives[call.name] else {
            throw PrimitiveError("unknown primitive \(call.name)")
        }
        let params = primitive.signature.parameters
        var slots: [CArg?] = Array(repeating: nil, count: params.count)
        var variadic: [CArg] = []
        var positional = 0
        for argument in call.arguments {
            let slot: Int
            if let label = argument.label {
                guard let i = params.firstIndex(where: { $0.name == label }) else {
                    throw PrimitiveError("\(call.name) has no parameter '\(label)'")
                }
                slot = i
            } else {
                guard positional < params.count else {
                    throw PrimitiveError("\(call.name) takes \(params.count) arguments")
                }
                slot = positional
                if !params[slot].variadic { positional += 1 }
            }
            let arg: CArg
            switch params[slot].passing {
            case .value: arg = .value(try compile(argument.value))
            case .path:
                guard case .path(let p) = argument.value else {
                    throw PrimitiveError("\(call.name) needs a path for '\(params[slot].name)'")
                }
                arg = .path(try ContextPath(p))
            case .predicate:
                guard case .call(let inner) = argument.value else {
                    throw PrimitiveError("\(call.name) needs a predicate for '\(params[slot].name)'")
                }
                arg = .predicate(try compile(inner))
            }
            if params[slot].variadic { variadic.append(arg) } else { slots[slot] = arg }
        }
        var args: [CArg] = []
        for (i, p) in params.enumerated() {
            if p.variadic {
                args.append(.variadic(variadic))
                continue
            }
            if let a = slots[i] {
                args.append(a)
                continue
            }
            guard let d = p.defaultValue else { throw PrimitiveError("\(call.name) needs the argument '\(p.name)'") }
            args.append(.value(.constant(d)))
        }
        return CCall(
            primitive: primitive, args: args,
            result: try call.result.map { p throws(PrimitiveError) in try ContextPath(p) })
    }
}

/// Charts that did not validate or compile, with every diagnostic.
public struct CompileFailure: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
