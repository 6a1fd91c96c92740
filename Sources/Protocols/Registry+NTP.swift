import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// NTP: the `ntp.*` primitives of `spec/ntp-syslog.md`'s catalogue and the message types.
    public static let ntp = ProtocolPack(
        name: "ntp", primitives: Registry.ntp, messages: ["NTP_REQUEST", "NTP_RESPONSE"], protocol: "ntp",
        transport: "udp")
}

extension Registry {
    /// The NTP primitives of `spec/ntp-syslog.md`'s catalogue.
    static let ntp: [Primitive] = [
        Primitive(
            "ntp.sign", .function, [.init("key_id", .int), .init("secret", .string)], result: .map,
            "the authenticator {key_id, digest_secret: secret}, standing for an MD5 MAC made with that key"
        ) { inv throws(PrimitiveError) in
            // A server whose authentication key is not defined (ntp_server.key_id missing from
            // ntp.keys) still signs: the secret is null, so the digest is left out of the message
            // and no receiver can verify it, instead of the run failing.
            let keyID = try inv.value(0)
            guard keyID.isNull || keyID.int != nil else {
                throw PrimitiveError("ntp.sign: 'key_id' must be a whole number, not \(JSON.encode(keyID))")
            }
            let secret = try inv.optionalString(1)
            return .value(
                .map(["key_id": keyID.int.map(Value.int) ?? .null, "digest_secret": secret.map(Value.string) ?? .null]))
        },
        Primitive(
            "ntp.auth_ok", .predicate, [.init("auth", .map), .init("keys", .map)], result: .bool,
            "keys[auth.key_id] exists and equals auth.digest_secret"
        ) { inv throws(PrimitiveError) in
            let auth = Value.map(try inv.map(0))
            let keys = try inv.map(1)
            let id = auth["key_id"]
            guard let key = id.int.map(String.init) ?? id.string, let secret = keys[key], !secret.isNull else {
                return .value(false)
            }
            return .value(.bool(secret.looselyEquals(auth["digest_secret"])))
        },
        Primitive(
            "ntp.leap_indicator", .function, [.init("synced", .bool)], result: .int,
            "0 when synced, 3 (alarm: not synchronized) otherwise"
        ) { inv throws(PrimitiveError) in
            .value(.int(try inv.value(0) == .bool(true) ? 0 : 3))
        },
        Primitive(
            "ntp.shift_reach", .action, [.init("reach", .int, passing: .path)],
            "shift the 8-bit reach register one place left: (reach << 1) & 0xFF (a missing register counts as 0)"
        ) { inv throws(PrimitiveError) in
            try NTP.updateReach(inv, "ntp.shift_reach") { ($0 << 1) & 0xFF }
            return .none
        },
        Primitive(
            "ntp.mark_reach", .action, [.init("reach", .int, passing: .path)],
            "set the lowest bit of the reach register (a reply arrived)"
        ) { inv throws(PrimitiveError) in
            try NTP.updateReach(inv, "ntp.mark_reach") { ($0 | 1) & 0xFF }
            return .none
        },
        Primitive(
            "ntp.server_for", .function, [.init("address", .string)], result: .string,
            "the key of the server entry whose addr (or, when addr is unset, whose key) equals the address, or null"
        ) { inv throws(PrimitiveError) in
            guard let address = try inv.optionalString(0) else { return .none }
            let servers = try inv.read(NTP.servers).map ?? [:]
            for key in servers.keys.sorted() {
                let addr = servers[key]!["addr"]
                let used = addr.string.flatMap { $0.isEmpty ? nil : $0 } ?? key  // an empty addr counts as unset
                if NTP.sameAddress(used, address) { return .value(.string(key)) }
            }
            return .none
        },
        Primitive(
            "ntp.well_formed", .predicate, [.init("packet", .map)], result: .bool,
            "li 0-3, mode 0-7, stratum 0-255, vn an integer, and the timestamps numbers where present"
        ) { inv throws(PrimitiveError) in
            let packet = Value.map(try inv.map(0))
            func inRange(_ key: String, _ range: ClosedRange<Int>) -> Bool {
                packet[key].int.map(range.contains) ?? false
            }
            guard inRange("li", 0...3), inRange("mode", 0...7), inRange("stratum", 0...255), packet["vn"].int != nil
            else { return .value(false) }
            let stamps = ["origin_ts", "receive_ts", "transmit_ts"].allSatisfy {
                packet[$0].isNull || packet[$0].number != nil
            }
            return .value(.bool(stamps))
        },
        Primitive(
            "ntp.sample", .function,
            [.init("t1", .number), .init("t2", .number), .init("t3", .number), .init("t4", .number)],
            result: .map,
            "{offset: ((t2 − t1) + (t3 − t4)) / 2, delay: (t4 − t1) − (t3 − t2)} (RFC 5905 §8); null when a timestamp is missing"
        ) { inv throws(PrimitiveError) in
            var t: [Double] = []
            for i in 0..<4 {
                let v = try inv.value(i)
                if v.isNull { return .none }
                guard let n = v.number else {
                    throw PrimitiveError("ntp.sample: timestamp t\(i + 1) must be a number, not \(JSON.encode(v))")
                }
                t.append(n)
            }
            return .value(
                .map([
                    "offset": .double(((t[1] - t[0]) + (t[2] - t[3])) / 2),
                    "delay": .double((t[3] - t[0]) - (t[2] - t[1])),
                ]))
        },
    ]
}

/// NTP data-model helpers shared by the primitives.
enum NTP {
    static let servers = ContextPath("device.ntp.servers")

    /// Equal address text; IPv6 addresses compare by value (`2001:DB8::1` is `2001:db8::1`).
    static func sameAddress(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = IPv6.parse(a), let y = IPv6.parse(b) else { return false }
        return x == y
    }

    /// Rewrites the 8-bit reach register at the primitive's path argument.
    static func updateReach(_ inv: Invocation, _ name: String, _ change: @escaping (Int) -> Int) throws(PrimitiveError)
    {
        let loc = try inv.location(0)
        let path = inv.pathText(0)
        let result: Value = try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) -> Value in
            let current: Int
            if v.isNull {
                current = 0
            } else if let r = v.int {
                current = r
            } else {
                throw PrimitiveError("\(name): \(path) holds the \(v.typeName) \(JSON.encode(v)), not a reach register")
            }
            v = .int(change(current & 0xFF))
            return v
        }
        inv.effect(["set": .string(path), "value": result])
    }
}
