/// Calls and expressions written back in the chart notation, for people reading a trace.
extension Expr {
    /// The expression as a chart would write it (`local.pool`, `"{x}:53"`, `{op: 1}`).
    public var notation: String {
        switch self {
        case .literal(let v):
            return JSON.encode(v)
        case .path(let p):
            return p.description
        case .template(let parts):
            var out = "\""
            for part in parts {
                switch part {
                case .text(let t):
                    var quoted = ""
                    JSON.quote(String(t.flatMap { $0 == "{" ? ["{", "{"] : [$0] }), into: &quoted)
                    out += String(quoted.dropFirst().dropLast())
                case .path(let p): out += "{\(p.description)}"
                }
            }
            return out + "\""
        case .list(let items):
            return "[" + items.map(\.notation).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.key): \($0.value.notation)" }.joined(separator: ", ") + "}"
        case .call(let call):
            return call.notation
        }
    }
}

extension Call {
    /// The call as a chart would write it, without its `as` part: `dhcp.find_address(local.pool, packet.chaddr)`.
    public var notation: String {
        name + "(" + arguments.map { ($0.label.map { "\($0): " } ?? "") + $0.value.notation }.joined(separator: ", ")
            + ")"
    }
}
