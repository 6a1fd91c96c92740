/// A node's body, parsed from its text notation.
public enum NodeBody: Sendable, Hashable {
    /// One predicate call (possibly `all`/`any`/`not` of others), optionally `as path`.
    case decision(Call)
    /// Calls run in order.
    case action([Call])
    /// A chart call: `name` is the callee id, arguments are labelled, `result` defaults to `local.ret`.
    case call(Call)
    case wait(WaitSpec)
    case end(EndSpec)
}

/// What a W node waits for.
public struct WaitSpec: Sendable, Hashable {
    /// A signal name or a list of names (templates allowed).
    public var signal: Expr?
    /// With `signal`: wake only when the signal's value equals this.
    public var value: Expr?
    /// A packet pattern (map) or a list of patterns: all named fields equal.
    public var packet: Expr?
    /// The timer whose expiry takes the `no` edge.
    public var timer: Expr?
    /// Where `{name, value}` of the signal, or the packet, is stored.
    public var binding: Path?

    /// The keys a wait map may hold.
    public static let keys = ["signal", "value", "packet", "timer", "as"]
}

/// How an E node ends its run.
public enum EndOutcome: String, Sendable, Hashable, CaseIterable {
    case consumed, dropped, done, ok, fail
    case returnValue = "return"
}

/// An E node's outcome and, for `return`, the value handed back.
public struct EndSpec: Sendable, Hashable {
    public var outcome: EndOutcome
    public var value: Expr?
}

/// A declared argument of a chart: `name: type = default`.
public struct ArgumentDeclaration: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    public var defaultValue: Value?
}

extension Node {
    /// Parses the body according to the node's kind.
    public func parsedBody() throws(NotationError) -> NodeBody {
        var p = NotationParser(body)
        switch kind {
        case .decision:
            let call = try p.call()
            try p.expectEnd()
            return .decision(call)
        case .action:
            var calls: [Call] = []
            p.skipSpace()
            while !p.atEnd {
                calls.append(try p.call())
                if !p.accept(";") { break }
                p.skipSpace()
            }
            try p.expectEnd()
            if calls.isEmpty { throw p.error("an action needs at least one call") }
            return .action(calls)
        case .call:
            let call = try p.call()
            try p.expectEnd()
            if call.arguments.contains(where: { $0.label == nil }) {
                throw NotationError(
                    line: 1, column: 1, reason: "arguments of a chart call must be labelled (name: value)")
            }
            return .call(call)
        case .wait:
            let entries = try p.mapEntries()
            try p.expectEnd()
            var spec = WaitSpec()
            for entry in entries {
                switch entry.key {
                case "signal": spec.signal = entry.value
                case "value": spec.value = entry.value
                case "packet": spec.packet = entry.value
                case "timer": spec.timer = entry.value
                case "as":
                    guard case .path(let path) = entry.value else {
                        throw NotationError(line: 1, column: 1, reason: "'as' in a wait must be a context path")
                    }
                    spec.binding = path
                default:
                    throw NotationError(
                        line: 1, column: 1,
                        reason: "unknown wait key '\(entry.key)' (expected signal, value, packet, timer or as)")
                }
            }
            if spec.signal == nil && spec.packet == nil && spec.timer == nil {
                throw NotationError(line: 1, column: 1, reason: "a wait needs a signal, a packet or a timer")
            }
            return .wait(spec)
        case .end:
            guard let word = p.identifier() else { throw p.error("expected an end outcome") }
            guard let outcome = EndOutcome(rawValue: word) else {
                throw p.error(
                    "'\(word)' is not an end outcome (consumed, dropped, done, ok, fail or return <value>)", at: 0)
            }
            var value: Expr?
            if outcome == .returnValue { value = try p.expression() }
            try p.expectEnd()
            return .end(EndSpec(outcome: outcome, value: value))
        }
    }
}

extension Chart {
    /// Parses the `arguments` declaration: `name: type = default, ...`.
    public func argumentDeclarations() throws(NotationError) -> [ArgumentDeclaration] {
        var p = NotationParser(arguments)
        var out: [ArgumentDeclaration] = []
        p.skipSpace()
        if p.atEnd { return out }
        repeat {
            guard let name = p.identifier() else { throw p.error("expected an argument name") }
            try p.expect(":", "':' after the argument '\(name)'")
            guard let typeName = p.identifier() else { throw p.error("expected the type of '\(name)'") }
            guard let type = ValueType(rawValue: typeName) else {
                throw p.error(
                    "unknown type '\(typeName)' (expected \(ValueType.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            var defaultValue: Value?
            if p.accept("=") {
                let start = p.pos
                guard let v = try p.expression().constant else {
                    throw p.error("a default must be a literal", at: start)
                }
                defaultValue = v
            }
            if out.contains(where: { $0.name == name }) { throw p.error("the argument '\(name)' is declared twice") }
            out.append(ArgumentDeclaration(name: name, type: type, defaultValue: defaultValue))
        } while p.accept(",")
        try p.expectEnd()
        return out
    }
}
