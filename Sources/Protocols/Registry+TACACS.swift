import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// TACACS+: the `tacacs.*` primitives of `spec/aaa.md`'s catalogue and the message types (TCP 49):
    /// the spec's table, and the accounting pair `tacacs.server.receive` answers beyond the spec
    /// (RFC 8907 §7.1, §7.3).
    public static let tacacs = ProtocolPack(
        name: "tacacs", primitives: Registry.tacacs,
        messages: [
            "TACACS_AUTHEN_START", "TACACS_AUTHEN_REPLY", "TACACS_AUTHEN_CONTINUE", "TACACS_AUTHOR_REQUEST",
            "TACACS_AUTHOR_RESPONSE", "TACACS_ACCT_REQUEST", "TACACS_ACCT_REPLY",
        ],
        protocol: "tacacs+", transport: "tcp")
}

extension Registry {
    /// The `tacacs.*` primitives of `spec/aaa.md`'s catalogue. Body obfuscation is the spec's
    /// abstraction: a body names the key it was obfuscated with and opens only with that key.
    static let tacacs: [Primitive] = [
        Primitive(
            "tacacs.obfuscate", .function,
            [
                .init("fields", .map), .init("key", .string), .init("session_id", .string),
                .init("seq_no", .int),
            ], result: .map,
            "the fields plus obfuscated_with: key (stands for the RFC 8907 §4.5 MD5 pad)"
        ) { inv throws(PrimitiveError) in
            var fields = try inv.map(0)
            fields["obfuscated_with"] = try inv.value(1)
            return .value(.map(fields))
        },
        Primitive(
            "tacacs.reveal", .function,
            [
                .init("body", .map), .init("key", .string), .init("session_id", .string),
                .init("seq_no", .int),
            ], result: .map,
            "the body without obfuscated_with when it was obfuscated with this key, else {garbled: true}"
        ) { inv throws(PrimitiveError) in
            let body = try inv.value(0)
            let key = try inv.value(1)
            // spec/aaa.md's crypto table: the fields when X == K, compared as eq compares (no key opens a body
            // obfuscated with no key).
            guard case .map(var fields) = body, body["obfuscated_with"].looselyEquals(key) else {
                return .value(["garbled": true])
            }
            fields.removeValue(forKey: "obfuscated_with")
            return .value(.map(fields))
        },
        Primitive(
            "tacacs.body_consistent", .predicate, [.init("fields", .map), .init("header", .map)], result: .bool,
            "false exactly when the fields are {garbled: true} (the decoded lengths do not add up)"
        ) { inv throws(PrimitiveError) in
            let fields = try inv.value(0)
            guard case .map = fields else { return .value(false) }
            return .value(.bool(fields != ["garbled": true]))
        },
        Primitive(
            "tacacs.header_ok", .predicate, [.init("header", .map)], result: .bool,
            "major_version 12, packet_type 1, 2 or 3, flags without UNENCRYPTED, a session_id"
        ) { inv throws(PrimitiveError) in
            let h = try inv.value(0)
            guard h["major_version"].looselyEquals(12), let type = h["packet_type"].int, (1...3).contains(type),
                !h["session_id"].isNull
            else { return .value(false) }
            switch h["flags"] {
            case .null: return .value(true)
            case .list(let flags): return .value(.bool(!flags.contains("UNENCRYPTED")))
            default: return .value(false)
            }
        },
        Primitive(
            "tacacs.seq_follows", .predicate, [.init("received", .int), .init("last_sent", .int)], result: .bool,
            "received == last_sent + 1"
        ) { inv throws(PrimitiveError) in
            guard let received = try inv.value(0).int, let last = try inv.value(1).int else { return .value(false) }
            let (next, overflow) = last.addingReportingOverflow(1)
            return .value(.bool(!overflow && received == next))
        },
        Primitive(
            "tacacs.close", .action, [.init("session_id", .string)],
            "close the TCP connection that carries the session (no message in the trace)"
        ) { inv throws(PrimitiveError) in
            let sid = try inv.value(0)
            inv.effect(["tcp": "close", "session_id": sid])
            return .none
        },
    ]
}
