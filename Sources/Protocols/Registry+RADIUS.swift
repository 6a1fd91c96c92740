import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// RADIUS: the `radius.*` primitives of `spec/aaa.md`'s catalogue and the message types (UDP).
    public static let radius = ProtocolPack(
        name: "radius", primitives: Registry.radius,
        messages: [
            "RADIUS_ACCESS_REQUEST", "RADIUS_ACCESS_ACCEPT", "RADIUS_ACCESS_REJECT", "RADIUS_ACCOUNTING_REQUEST",
            "RADIUS_ACCESS_CHALLENGE",
        ],
        protocol: "radius", transport: "udp")
}

extension Registry {
    /// The `radius.*` primitives of `spec/aaa.md`'s catalogue. The shared-secret cryptography is the
    /// spec's abstraction (its "crypto abstraction" table): values name the secret they were made
    /// with, and a check succeeds exactly when the secrets are equal.
    static let radius: [Primitive] = [
        Primitive(
            "radius.well_formed", .predicate, [.init("message", .map)], result: .bool,
            "type is a RADIUS type, identifier an int 0-255, authenticator present, attributes a map"
        ) { inv throws(PrimitiveError) in
            let m = try inv.value(0)
            guard let type = m["type"].string, RADIUS.types.contains(type),
                let id = m["identifier"].int, (0...255).contains(id),
                !m["authenticator"].isNull, case .map = m["attributes"]
            else { return .value(false) }
            return .value(true)
        },
        Primitive(
            "radius.hide_password", .function,
            [
                .init("plaintext", .string), .init("secret", .string),
                .init("request_authenticator", .string),
            ], result: .map,
            "{hidden_with: secret, plaintext} (stands for RFC 2865 §5.2 password hiding)"
        ) { inv throws(PrimitiveError) in
            .value(.map(["hidden_with": try inv.value(1), "plaintext": try inv.value(0)]))
        },
        Primitive(
            "radius.reveal_password", .function,
            [
                .init("hidden", .map), .init("secret", .string),
                .init("request_authenticator", .string),
            ], result: .string,
            "hidden.plaintext when hidden.hidden_with equals the secret, else null (a wrong secret opens to nothing)"
        ) { inv throws(PrimitiveError) in
            let hidden = try inv.value(0)
            let secret = try inv.value(1)
            // spec/aaa.md's crypto table: "P when X == S", with eq's null rule (a value hidden with no secret
            // opens with no secret, as an empty MD5 key would on both ends).
            guard case .map = hidden, hidden["hidden_with"].looselyEquals(secret) else { return .none }
            return .value(hidden["plaintext"])
        },
        Primitive(
            "radius.request_authenticator", .function, [.init("identifier", .int, nullable: false)], result: .string,
            "\"RA-<identifier>\" (stands for 16 random octets)"
        ) { inv throws(PrimitiveError) in
            .value(.string("RA-\(try inv.int(0))"))
        },
        Primitive(
            "radius.take_identifier", .action, [.init("counter", .int, passing: .path)], result: .int,
            "the counter's value (1 when unset), advancing it by one and wrapping from 255 to 0"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let current = inv.read(loc)
            let id: Int
            if current.isNull {
                id = 1
            } else {
                guard let n = current.int, (0...255).contains(n) else {
                    throw PrimitiveError(
                        "radius.take_identifier: \(inv.pathText(0)) holds \(JSON.encode(current)), not an identifier 0-255"
                    )
                }
                id = n
            }
            let next = Value.int((id + 1) % 256)
            try inv.write(loc, next)
            inv.effect(["set": .string(inv.pathText(0)), "value": next])
            return .value(.int(id))
        },
        Primitive(
            "radius.response_authenticator", .function,
            [
                .init("type", .string), .init("identifier", .int),
                .init("request_authenticator", .string), .init("secret", .string),
            ],
            result: .map, "{signed_with: secret, request_authenticator} (stands for the RFC 2865 §3 MD5)"
        ) { inv throws(PrimitiveError) in
            .value(.map(["signed_with": try inv.value(3), "request_authenticator": try inv.value(2)]))
        },
        Primitive(
            "radius.response_ok", .predicate,
            [
                .init("message", .map), .init("request_authenticator", .string),
                .init("secret", .string),
            ], result: .bool,
            "the message's authenticator was signed with the secret over this request authenticator"
        ) { inv throws(PrimitiveError) in
            let auth = try inv.value(0)["authenticator"]
            let ra = try inv.value(1)
            let secret = try inv.value(2)
            // spec/aaa.md: signed_with == secret and request_authenticator == RA', compared as eq compares.
            return .value(
                .bool(auth["signed_with"].looselyEquals(secret) && auth["request_authenticator"].looselyEquals(ra)))
        },
    ]
}

/// RADIUS data-model constants.
enum RADIUS {
    static let types: Set<String> = [
        "RADIUS_ACCESS_REQUEST", "RADIUS_ACCESS_ACCEPT", "RADIUS_ACCESS_REJECT",
        "RADIUS_ACCOUNTING_REQUEST", "RADIUS_ACCESS_CHALLENGE",
    ]
}
