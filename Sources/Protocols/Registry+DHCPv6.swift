import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// DHCPv6: the primitives of `spec/dhcp.md`'s catalogue (`dhcpv6.*`) and the message types.
    public static let dhcpv6 = ProtocolPack(
        name: "dhcpv6", primitives: Registry.dhcpv6,
        messages: [
            "DHCPV6_SOLICIT", "DHCPV6_ADVERTISE", "DHCPV6_REQUEST", "DHCPV6_CONFIRM", "DHCPV6_RENEW", "DHCPV6_REBIND",
            "DHCPV6_REPLY", "DHCPV6_RELEASE", "DHCPV6_DECLINE", "DHCPV6_RECONFIGURE", "DHCPV6_INFORMATION_REQUEST",
        ],
        protocol: "dhcpv6", transport: "udp")
}

extension Registry {
    /// The DHCPv6 primitives of `spec/dhcp.md`'s catalogue.
    static let dhcpv6: [Primitive] = [
        Primitive(
            "dhcpv6.duid_ll", .function, [.init("mac", .string, nullable: false)], result: .string,
            "DUID-LL as hex text: 00030001 followed by the MAC's twelve hex digits in upper case"
        ) { inv throws(PrimitiveError) in
            let mac = try inv.string(0)
            let octets = DHCP.macOctets(mac)
            guard octets.count == 6, octets.allSatisfy({ (0...255).contains($0) }) else {
                throw .malformed("dhcpv6.duid_ll: \"\(mac)\" is not a MAC address")
            }
            return .value(.string("00030001" + octets.map(DHCPv6.hexByte).joined()))
        },
        Primitive(
            "dhcpv6.backoff", .function,
            [.init("type", .string, nullable: false), .init("retries", .int, nullable: false)], result: .int,
            "seconds before the next retransmission: min(IRT · 2^retries, MRT) for the message type, no jitter"
        ) { inv throws(PrimitiveError) in
            let type = try inv.string(0)
            let retries = try inv.int(1)
            guard retries >= 0 else {
                throw PrimitiveError("dhcpv6.backoff: retries must not be negative, not \(retries)")
            }
            guard let (irt, mrt) = DHCPv6.retransmission[type] else {
                throw PrimitiveError("dhcpv6.backoff: \(type) is not a message the client retransmits")
            }
            let delay = retries >= 40 ? mrt : min(irt << retries, mrt)
            return .value(.int(delay))
        },
        Primitive(
            "dhcpv6.elapsed", .function, [.init("since", .number), .init("now", .number, nullable: false)],
            result: .int,
            "Elapsed Time option value: (now − since) · 100 rounded down, at most 65535; 0 when since is null"
        ) { inv throws(PrimitiveError) in
            let since = try inv.value(0)
            guard !since.isNull else { return .value(.int(0)) }
            guard let start = since.number else {
                throw PrimitiveError("dhcpv6.elapsed: 'since' must be a number, not \(JSON.encode(since))")
            }
            let hundredths = ((try inv.number(1)) - start) * 100
            // Rounded down as a person computes it: (41 − 40.1) · 100 is 90, although binary
            // arithmetic gives 89.99999999999986, so a value within 1e-6 of a whole number counts as it.
            let nearest = hundredths.rounded()
            let down = abs(hundredths - nearest) < 1e-6 ? nearest : hundredths.rounded(.down)
            if down <= 0 { return .value(.int(0)) }
            if down >= 65535 { return .value(.int(65535)) }
            return .value(.int(try DHCPv6.whole(down, "dhcpv6.elapsed: the elapsed time in hundredths")))
        },
        Primitive(
            "dhcpv6.resend", .action,
            [.init("message", .map, nullable: false), .init("elapsed", .int, nullable: false)],
            "send a message recorded by 'send ... as' again, unchanged except options.elapsed_time"
        ) { inv throws(PrimitiveError) in
            var message = try inv.map(0)
            let elapsed = try inv.int(1)
            guard let type = message["type"]?.string, let ip = message["dst_ip"]?.string,
                let port = message["dst_port"]?.int
            else {
                throw PrimitiveError(
                    "dhcpv6.resend: the message has no type, dst_ip and dst_port (was it stored with 'send ... as'?)")
            }
            var options = message["options"]?.map ?? [:]
            options["elapsed_time"] = .int(elapsed)
            message["options"] = .map(options)
            try inv.send(type: type, to: ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)", fields: message)
            return .none
        },
        Primitive(
            "dhcpv6.offers_address", .predicate, [.init("packet", .map)], result: .bool,
            "the IA_NA holds an address and no NoAddrsAvail (2) status is given at the top or in the IA"
        ) { inv throws(PrimitiveError) in
            let packet = Value.map(try inv.map(0))
            let options = packet["options"]
            let addrs = options["ia_na"]["addrs"].list ?? []
            let noAddrs = options["status_code"].looselyEquals(2) || options["ia_na"]["status_code"].looselyEquals(2)
            return .value(.bool(!addrs.isEmpty && !noAddrs))
        },
        Primitive(
            "dhcpv6.apply_config", .action, [.init("options", .map)],
            "device.dns6 = first of dns_servers, device.domain = first of domain_list, each only when given"
        ) { inv throws(PrimitiveError) in
            let options = Value.map(try inv.map(0))
            if let dns = options["dns_servers"].list?.first, !dns.isNull { try inv.write(DHCPv6.dns6, dns) }
            if let domain = options["domain_list"].list?.first, !domain.isNull { try inv.write(DHCPv6.domain, domain) }
            return .none
        },
        Primitive(
            "dhcpv6.info_refresh", .function, [.init("options", .map)], result: .int,
            "seconds until the next information refresh: info_refresh_time raised to 600, else 86400"
        ) { inv throws(PrimitiveError) in
            let given = Value.map(try inv.map(0))["info_refresh_time"]
            guard !given.isNull else { return .value(.int(86400)) }
            guard let seconds = given.number else {
                throw PrimitiveError(
                    "dhcpv6.info_refresh: info_refresh_time must be a number, not \(JSON.encode(given))")
            }
            if seconds < 600 { return .value(.int(600)) }
            if seconds > 4_294_967_295 { return .value(.int(4_294_967_295)) }
            return .value(.int(try DHCPv6.whole(seconds, "dhcpv6.info_refresh: info_refresh_time", rounding: .down)))
        },
        Primitive(
            "dhcpv6.lease_timers", .function, [.init("ia_na", .map, nullable: false)], result: .map,
            "{t1, t2, valid} of a leased IA_NA: T1 and T2 when > 0, else preferred/2 and preferred·0.8 rounded down; valid of the first address"
        ) { inv throws(PrimitiveError) in
            let ia = Value.map(try inv.map(0))
            let first = ia["addrs"][0]
            guard let valid = first["valid"].number else {
                throw PrimitiveError("dhcpv6.lease_timers: the IA_NA's first address has no valid lifetime")
            }
            let preferred = first["preferred"].number
            func timer(_ key: String, _ fraction: (Double) -> Double) throws(PrimitiveError) -> Value {
                if let t = ia[key].number, t > 0 { return Value(numeric: t) }
                guard let p = preferred else {
                    throw PrimitiveError(
                        "dhcpv6.lease_timers: the IA_NA gives neither \(key.uppercased()) nor a preferred lifetime")
                }
                return .int(
                    try DHCPv6.whole(
                        fraction(p), "dhcpv6.lease_timers: \(key.uppercased()) from the preferred lifetime",
                        rounding: .down))
            }
            return .value(
                .map([
                    "t1": try timer("t1") { $0 / 2 }, "t2": try timer("t2") { $0 * 4 / 5 },
                    "valid": Value(numeric: valid),
                ]))
        },
        Primitive(
            "dhcpv6.pool_for", .function, [.init("iface_name", .string)], result: .map,
            "the pool named by device.dhcpv6_server.ifaces[iface_name].pool, or null"
        ) { inv throws(PrimitiveError) in
            guard let name = try inv.optionalString(0) else { return .none }
            let server = try inv.read(DHCPv6.server)
            guard let pool = server["ifaces"][name]["pool"].string else { return .none }
            let found = server["pools"][pool]
            return .value(found.map != nil ? found : .null)
        },
        Primitive(
            "dhcpv6.server_id_ok", .predicate,
            [.init("type", .string, nullable: false), .init("server_id", .string), .init("duid", .string)],
            result: .bool,
            "SOLICIT, REBIND: no Server Identifier; REQUEST, RENEW, RELEASE: ours; INFORMATION-REQUEST: absent or ours"
        ) { inv throws(PrimitiveError) in
            let type = try inv.string(0)
            let given = try inv.optionalString(1)
            let ours = try inv.optionalString(2)
            let isOurs = given != nil && ours != nil && given!.uppercased() == ours!.uppercased()
            switch type {
            case "DHCPV6_SOLICIT", "DHCPV6_REBIND": return .value(.bool(given == nil))
            case "DHCPV6_REQUEST", "DHCPV6_RENEW", "DHCPV6_RELEASE": return .value(.bool(isOurs))
            case "DHCPV6_INFORMATION_REQUEST": return .value(.bool(given == nil || isOurs))
            default: return .value(false)
            }
        },
        Primitive(
            "dhcpv6.bound_address", .function,
            [
                .init("duid", .string), .init("iaid", .int), .init("addr", .string),
                .init("now", .number, nullable: false),
            ],
            result: .string, "the address when a live binding (expires > now) of (duid, iaid) holds it, else null"
        ) { inv throws(PrimitiveError) in
            // A client→server IA_NA lists plain addresses; an {addr, ...} item (the server→client
            // form) is read by its addr.
            let given = try inv.value(2)
            let addrText = given.string ?? given["addr"].string
            guard let duid = try inv.optionalString(0), let addr = addrText.flatMap(IPv6.parse) else { return .none }
            let iaid = try inv.value(1)
            let now = try inv.number(3)
            for b in try DHCPv6.bindings(inv) where DHCPv6.owns(b, duid, iaid) && (b["expires"].number ?? 0) > now {
                if let a = b["addr"].string.flatMap(IPv6.parse), a == addr { return .value(.string(IPv6.format(a))) }
            }
            return .none
        },
        Primitive(
            "dhcpv6.pick_address", .function,
            [
                .init("pool", .map, nullable: false), .init("duid", .string), .init("iaid", .int),
                .init("now", .number, nullable: false),
            ],
            result: .string,
            "the client's live binding inside the pool prefix, else the lowest prefix+N (N ≥ 1) neither bound nor the server's own (RFC 5952 text); null without a prefix"
        ) { inv throws(PrimitiveError) in
            let pool = Value.map(try inv.map(0))
            guard let prefixText = pool["prefix"].string else { return .none }
            guard let prefix = IPv6.parse(prefixText) else {
                throw PrimitiveError("dhcpv6.pick_address: the pool prefix \"\(prefixText)\" is not an IPv6 address")
            }
            let length = pool["prefix_len"].int ?? 64
            guard (0...128).contains(length) else {
                throw PrimitiveError("dhcpv6.pick_address: prefix_len must be 0 to 128, not \(length)")
            }
            let network = prefix.masked(length)
            let duid = try inv.optionalString(1)
            let iaid = try inv.value(2)
            let now = try inv.number(3)
            let live = try DHCPv6.bindings(inv).filter { ($0["expires"].number ?? 0) > now }
            if let duid {
                for b in live where DHCPv6.owns(b, duid, iaid) {
                    if let a = b["addr"].string.flatMap(IPv6.parse), a.masked(length) == network {
                        return .value(.string(IPv6.format(a)))
                    }
                }
            }
            var taken = Set(live.compactMap { $0["addr"].string.flatMap(IPv6.parse) })
            for own in try inv.read(DHCPv6.ownAddrs).list ?? [] {
                if let a = own.string.flatMap(IPv6.parse) { taken.insert(a) }
            }
            let hostBits = 128 - length
            let limit: UInt64 = hostBits >= 21 ? 1 << 20 : (1 << UInt64(hostBits)) - 1
            var n: UInt64 = 1
            while n <= limit {
                guard let candidate = network.adding(n) else { break }
                if !taken.contains(candidate) { return .value(.string(IPv6.format(candidate))) }
                n += 1
            }
            return .none
        },
        Primitive(
            "dhcpv6.answer_type", .function, [.init("type", .string, nullable: false)], result: .string,
            "DHCPV6_ADVERTISE for a DHCPV6_SOLICIT, otherwise DHCPV6_REPLY"
        ) { inv throws(PrimitiveError) in
            .value(.string(try inv.string(0) == "DHCPV6_SOLICIT" ? "DHCPV6_ADVERTISE" : "DHCPV6_REPLY"))
        },
        Primitive(
            "dhcpv6.bind", .action,
            [
                .init("duid", .string, nullable: false), .init("iaid", .int), .init("addr", .string, nullable: false),
                .init("until", .number, nullable: false),
            ],
            "the binding of (duid, iaid), replaced in place or appended, becomes {duid, iaid, addr, expires: until}"
        ) { inv throws(PrimitiveError) in
            let duid = try inv.string(0)
            let iaid = try inv.value(1)
            let addr = try inv.string(2)
            let until = try inv.value(3)
            guard until.number != nil else { throw PrimitiveError("dhcpv6.bind: 'until' must be a number") }
            var bindings = try DHCPv6.bindings(inv)
            let entry = Value.map([
                "duid": .string(duid), "iaid": iaid, "addr": .string(IPv6.canonical(addr) ?? addr), "expires": until,
            ])
            if let i = bindings.firstIndex(where: { DHCPv6.owns($0, duid, iaid) }) {
                bindings[i] = entry
            } else {
                bindings.append(entry)
            }
            try inv.write(DHCPv6.bindingsPath, .list(bindings))
            return .none
        },
        Primitive(
            "dhcpv6.lease_times", .function, [.init("pool", .map, nullable: false)], result: .map,
            "{t1: preferred/2, t2: preferred·0.8} of the pool, rounded down"
        ) { inv throws(PrimitiveError) in
            let pool = Value.map(try inv.map(0))
            guard let preferred = pool["preferred"].number else {
                throw PrimitiveError("dhcpv6.lease_times: the pool has no preferred lifetime")
            }
            let t1 = try DHCPv6.whole(
                preferred / 2, "dhcpv6.lease_times: T1 from the preferred lifetime", rounding: .down)
            let t2 = try DHCPv6.whole(
                preferred * 4 / 5, "dhcpv6.lease_times: T2 from the preferred lifetime", rounding: .down)
            return .value(.map(["t1": .int(t1), "t2": .int(t2)]))
        },
    ]
}

/// DHCPv6 data-model helpers shared by the primitives.
enum DHCPv6 {
    static let server = ContextPath("device.dhcpv6_server")
    static let bindingsPath = ContextPath("device.dhcpv6_server.bindings")
    static let ownAddrs = ContextPath("device.own_addrs")
    static let dns6 = ContextPath("device.dns6")
    static let domain = ContextPath("device.domain")

    /// (IRT, MRT) in seconds of each message the client retransmits (RFC 8415 §7.6).
    static let retransmission: [String: (Int, Int)] = [
        "DHCPV6_SOLICIT": (1, 3600), "DHCPV6_INFORMATION_REQUEST": (1, 3600), "DHCPV6_REQUEST": (1, 30),
        "DHCPV6_RENEW": (10, 600), "DHCPV6_REBIND": (10, 600),
    ]

    static func hexByte(_ b: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[b >> 4], digits[b & 0xF]])
    }

    /// A computed lifetime or interval as a whole number; one that is not finite or does not fit
    /// is the primitive's error.
    static func whole(_ d: Double, _ what: String, rounding rule: FloatingPointRoundingRule? = nil)
        throws(PrimitiveError) -> Int
    {
        do { return try Int(checking: d, what, rounding: rule) } catch { throw PrimitiveError(error.description) }
    }

    static func bindings(_ inv: Invocation) throws(PrimitiveError) -> [Value] { try inv.read(bindingsPath).list ?? [] }

    /// Whether a binding belongs to the client's IA (DUIDs compared without regard to case).
    static func owns(_ binding: Value, _ duid: String, _ iaid: Value) -> Bool {
        binding["duid"].string?.uppercased() == duid.uppercased() && binding["iaid"].looselyEquals(iaid)
    }
}
