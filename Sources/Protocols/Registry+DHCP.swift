import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// DHCPv4: the primitives of `spec/dhcp.md`'s catalogue and the message types.
    public static let dhcp = ProtocolPack(
        name: "dhcp", primitives: Registry.dhcp,
        messages: [
            "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE", "DHCPACK", "DHCPNAK", "DHCPRELEASE",
            "DHCPINFORM", "BOOTREQUEST", "BOOTREPLY",
        ],
        protocol: "dhcp", transport: "udp")
}

extension Registry {
    /// The DHCPv4 primitives of `spec/dhcp.md`'s catalogue.
    static let dhcp: [Primitive] = [
        Primitive(
            "dhcp.backoff", .function, [.init("retries", .int, nullable: false)], result: .int,
            "seconds before the next retransmission: 4 · 2^retries (4, 8, 16, 32), no jitter"
        ) { inv throws(PrimitiveError) in
            let retries = try inv.int(0)
            guard (0...20).contains(retries) else {
                throw PrimitiveError("dhcp.backoff: retries must be between 0 and 20, not \(retries)")
            }
            return .value(.int(4 << retries))
        },
        Primitive(
            "dhcp.resend", .action, [.init("message", .map, nullable: false)],
            "send a message recorded by 'send ... as' again, unchanged (same xid, addressing and fields)"
        ) { inv throws(PrimitiveError) in
            let message = try inv.map(0)
            guard let type = message["type"]?.string, let ip = message["dst_ip"]?.string,
                let port = message["dst_port"]?.int
            else {
                throw PrimitiveError(
                    "dhcp.resend: the message has no type, dst_ip and dst_port (was it stored with 'send ... as'?)")
            }
            try inv.send(type: type, to: ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)", fields: message)
            return .none
        },
        Primitive(
            "dhcp.lease_config", .function, [.init("ack", .map, nullable: false)], result: .map,
            "{ip, mask, gateway, dns, domain, tftp, wlc, lease, t1, t2} taken from a DHCPACK, with the defaults of RFC 2131"
        ) { inv throws(PrimitiveError) in
            .value(DHCP.leaseConfig(try inv.map(0)))
        },
        Primitive(
            "dhcp.apipa_address", .function, [.init("mac", .string, nullable: false)], result: .string,
            "169.254.(m4 mod 254 + 1).(m5) from the last two MAC octets m4, m5"
        ) { inv throws(PrimitiveError) in
            let octets = DHCP.macOctets(try DHCP.mac(inv, 0, "dhcp.apipa_address"))
            return .value(.string("169.254.\(octets[4] % 254 + 1).\(octets[5])"))
        },
        Primitive(
            "dhcp.link_address", .function, [.init("giaddr", .string), .init("iface_ip", .string)], result: .string,
            "the relay agent's address (giaddr) unless it is 0.0.0.0, else the receiving interface's"
        ) { inv throws(PrimitiveError) in
            let giaddr = try inv.optionalString(0) ?? "0.0.0.0"
            if !giaddr.isEmpty, IPv4.parse(giaddr) == nil {
                throw .malformed("dhcp.link_address: the address \"\(giaddr)\" is not an IPv4 address")
            }
            return .value(
                .string(giaddr != "0.0.0.0" && !giaddr.isEmpty ? giaddr : (try inv.optionalString(1) ?? "0.0.0.0")))
        },
        Primitive(
            "dhcp.pool_for", .function, [.init("link_ip", .string)], result: .map,
            "the first pool of device.dhcp_server.pools whose network/mask holds the address, or null"
        ) { inv throws(PrimitiveError) in
            guard let ip = try inv.optionalString(0).flatMap(IPv4.parse) else { return .none }
            for pool in try inv.read(DHCP.pools).list ?? [] {
                if let net = DHCP.network(pool), ip & net.mask == net.network & net.mask { return .value(pool) }
            }
            return .none
        },
        Primitive(
            "dhcp.find_address", .function,
            [.init("pool", .map, nullable: false), .init("mac", .string), .init("now", .number)],
            result: .string,
            "the client's live offer or lease in the pool, else the lowest free legal address, else null"
        ) { inv throws(PrimitiveError) in
            let server = try DHCP.ServerState(inv)
            let pool = try inv.map(0)
            let mac = try inv.value(1).isNull ? nil : try DHCP.mac(inv, 1, "dhcp.find_address")
            let now = try inv.value(2).number ?? inv.now
            let live = server.liveLeases(now)
            // The client's live offer or lease inside this pool: a live entry of the same MAC in
            // another pool (offer_lease keeps those) must not hide it.
            if let own = live.first(where: {
                $0["mac"].string == mac && ["offered", "bound"].contains($0["state"].string ?? "")
                    && $0["ip"].string.map { server.inPool(pool, $0) } == true
            }), let ip = own["ip"].string {
                return .value(.string(ip))
            }
            guard let shape = server.shape(pool) else { return .none }
            let taken = Set(live.compactMap { $0["ip"].string.flatMap(IPv4.parse) })
            var candidate = shape.range.lowerBound
            var tried = 0
            while candidate <= shape.range.upperBound, tried < 1 << 20 {
                // An excluded range is stepped over at once, however large.
                if let skip = server.excluded.first(where: { $0.0 <= candidate && candidate <= $0.1 }) {
                    if skip.1 >= shape.range.upperBound { break }
                    candidate = skip.1 + 1
                    continue
                }
                if !taken.contains(candidate), server.admits(shape, candidate) {
                    return .value(.string(IPv4.format(candidate)))
                }
                if candidate == UInt32.max { break }
                candidate += 1
                tried += 1
            }
            return .none
        },
        Primitive(
            "dhcp.in_pool", .predicate, [.init("pool", .map, nullable: false), .init("ip", .string)], result: .bool,
            "the address lies in the pool's range and network, is not its network or broadcast address, not excluded, not the gateway, not the server's own"
        ) { inv throws(PrimitiveError) in
            let server = try DHCP.ServerState(inv)
            guard let ip = try inv.optionalString(1) else { return .value(false) }
            return .value(.bool(server.inPool(try inv.map(0), ip)))
        },
        Primitive(
            "dhcp.free_or_owned", .predicate,
            [.init("pool", .map, nullable: false), .init("ip", .string), .init("mac", .string), .init("now", .number)],
            result: .bool, "no live lease holds the address, or the live lease on it belongs to the MAC"
        ) { inv throws(PrimitiveError) in
            let server = try DHCP.ServerState(inv)
            let ip = try inv.optionalString(1)
            let mac = try inv.value(2).isNull ? nil : try DHCP.mac(inv, 2, "dhcp.free_or_owned")
            let now = try inv.value(3).number ?? inv.now
            let holders = server.liveLeases(now).filter { $0["ip"].string == ip }
            return .value(.bool(holders.allSatisfy { $0["mac"].string == mac }))
        },
        Primitive(
            "dhcp.offer_lease", .action,
            [
                .init("mac", .string, nullable: false), .init("ip", .string, nullable: false),
                .init("until", .number, nullable: false),
            ],
            "hold the address for the MAC until the given time (a live bound lease of the same MAC on it is kept)"
        ) { inv throws(PrimitiveError) in
            let mac = try DHCP.mac(inv, 0, "dhcp.offer_lease")
            let ip = try DHCP.address(inv, 1, "dhcp.offer_lease")
            let until = try inv.value(2)
            let now = inv.now
            var leases = try inv.read(DHCP.leases).list ?? []
            if leases.contains(where: {
                $0["ip"].string == ip && $0["mac"].string == mac && $0["state"].string == "bound"
                    && ($0["expires"].number ?? 0) > now
            }) {
                return .none
            }
            DHCP.put(&leases, ["ip": .string(ip), "mac": .string(mac), "state": "offered", "expires": until])
            try inv.write(DHCP.leases, .list(leases))
            return .none
        },
        Primitive(
            "dhcp.bind_lease", .action,
            [
                .init("mac", .string, nullable: false), .init("ip", .string, nullable: false),
                .init("until", .number, nullable: false),
            ],
            "lease the address to the MAC until the given time; the MAC's other entries are removed"
        ) { inv throws(PrimitiveError) in
            let mac = try DHCP.mac(inv, 0, "dhcp.bind_lease")
            let ip = try DHCP.address(inv, 1, "dhcp.bind_lease")
            let until = try inv.value(2)
            var leases = try inv.read(DHCP.leases).list ?? []
            leases.removeAll { $0["mac"].string == mac && $0["ip"].string != ip }
            DHCP.put(&leases, ["ip": .string(ip), "mac": .string(mac), "state": "bound", "expires": until])
            try inv.write(DHCP.leases, .list(leases))
            return .none
        },
        Primitive(
            "dhcp.requested_address", .function, [.init("packet", .map, nullable: false)], result: .string,
            "option 50 (requested_ip) when present, else ciaddr"
        ) { inv throws(PrimitiveError) in
            let packet = Value.map(try inv.map(0))
            let requested = packet["options"]["requested_ip"]
            return .value(requested.isNull ? packet["ciaddr"] : requested)
        },
        Primitive(
            "dhcp.reply", .action,
            [
                .init("type", .string, nullable: false), .init("pool", .map, nullable: false),
                .init("yiaddr", .string), .init("ciaddr", .string),
                .init("lease_times", .bool, nullable: false, default: true),
            ],
            result: .map, "build the server's OFFER, ACK or NAK to the packet and send it as RFC 2131 §4.1 addresses it"
        ) { inv throws(PrimitiveError) in
            .value(try DHCP.reply(inv))
        },
    ]
}

/// DHCPv4 data-model helpers shared by the primitives.
enum DHCP {
    static let pools = ContextPath("device.dhcp_server.pools")
    static let leases = ContextPath("device.dhcp_server.leases")
    static let excluded = ContextPath("device.dhcp_server.excluded")
    static let ownAddrs = ContextPath("device.own_addrs")
    static let ifaceIP = ContextPath("iface.ip")
    static let packet = ContextPath("packet")

    /// The six octets of a MAC written `00:0A:41:12:34:56`, `00-0A-41-12-34-56`, PT/IOS style
    /// `000A.4112.3456` or bare `000A41123456`; empty when the text is none of these.
    static func macOctets(_ mac: String) -> [Int] {
        let parts = mac.split(whereSeparator: { $0 == ":" || $0 == "-" })
        if parts.count == 6 {
            guard parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return [] }
            return parts.compactMap { Int($0, radix: 16) }
        }
        let groups = mac.split(separator: ".", omittingEmptySubsequences: false)
        guard (groups.count == 3 && groups.allSatisfy({ $0.count == 4 })) || (groups.count == 1 && mac.count == 12)
        else { return [] }
        let digits = Array(groups.joined())
        guard digits.count == 12, digits.allSatisfy(\.isHexDigit) else { return [] }
        return stride(from: 0, to: 12, by: 2).compactMap { Int(String(digits[$0...$0 + 1]), radix: 16) }
    }

    /// MAC argument `i` as given; a text that is no MAC address is refused as malformed input
    /// (a server drops a request whose client hardware address it cannot read).
    static func mac(_ inv: Invocation, _ i: Int, _ primitive: String) throws(PrimitiveError) -> String {
        let mac = try inv.string(i)
        guard macOctets(mac).count == 6 else { throw .malformed("\(primitive): \"\(mac)\" is not a MAC address") }
        return mac
    }

    /// IPv4 address argument `i` as given; any other text is refused as malformed input.
    static func address(_ inv: Invocation, _ i: Int, _ primitive: String) throws(PrimitiveError) -> String {
        let ip = try inv.string(i)
        guard IPv4.parse(ip) != nil else { throw .malformed("\(primitive): \"\(ip)\" is not an IPv4 address") }
        return ip
    }

    static func network(_ pool: Value) -> (network: UInt32, mask: UInt32)? {
        guard let net = pool["network"].string.flatMap(IPv4.parse), let mask = pool["mask"].string.flatMap(IPv4.parse)
        else { return nil }
        return (net, mask)
    }

    /// Replaces the entry for the lease's ip in place, or appends it.
    static func put(_ leases: inout [Value], _ lease: [String: Value]) {
        if let i = leases.firstIndex(where: { $0["ip"] == lease["ip"] }) {
            leases[i] = .map(lease)
        } else {
            leases.append(.map(lease))
        }
    }

    /// The server's configuration that the address checks need, read once per call.
    struct ServerState {
        let leases: [Value]
        let excluded: [(UInt32, UInt32)]
        let own: Set<UInt32>

        init(_ inv: Invocation) throws(PrimitiveError) {
            leases = try inv.read(DHCP.leases).list ?? []
            excluded = (try inv.read(DHCP.excluded).list ?? []).compactMap { r in
                guard let from = r["from"].string.flatMap(IPv4.parse) else { return nil }
                return (from, r["to"].string.flatMap(IPv4.parse) ?? from)
            }
            // Compared as addresses, not as text; IPv6 entries of own_addrs play no part here.
            own = Set((try inv.read(DHCP.ownAddrs).list ?? []).compactMap { $0.string.flatMap(IPv4.parse) })
        }

        func liveLeases(_ now: Double) -> [Value] { leases.filter { ($0["expires"].number ?? 0) > now } }

        /// A pool's network, broadcast address, range and gateways, read once for checks in a loop.
        struct PoolShape {
            let network: UInt32
            let mask: UInt32
            /// range_start...range_end, defaulting to the network's host addresses.
            let range: ClosedRange<UInt32>
            let gateways: Set<UInt32>
            var broadcast: UInt32 { network | ~mask }
        }

        func shape(_ pool: [String: Value]) -> PoolShape? {
            guard let net = DHCP.network(.map(pool)) else { return nil }
            let network = net.network & net.mask
            let first = pool["range_start"]?.string.flatMap(IPv4.parse) ?? (network &+ 1)
            let last = pool["range_end"]?.string.flatMap(IPv4.parse) ?? ((network | ~net.mask) &- 1)
            guard first <= last else { return nil }
            // The gateway (or each of several default routers) is never handed out.
            let gateways = (pool["gateway"].map { $0.list ?? [$0] } ?? []).compactMap { $0.string.flatMap(IPv4.parse) }
            return PoolShape(network: network, mask: net.mask, range: first...last, gateways: Set(gateways))
        }

        func inPool(_ pool: [String: Value], _ text: String) -> Bool {
            guard let ip = IPv4.parse(text), let shape = shape(pool) else { return false }
            return admits(shape, ip)
        }

        /// The address lies in the pool's range and network, is not its network or broadcast
        /// address, not excluded, not a gateway and not the server's own.
        func admits(_ shape: PoolShape, _ ip: UInt32) -> Bool {
            guard shape.range.contains(ip), ip & shape.mask == shape.network, ip != shape.network, ip != shape.broadcast
            else { return false }
            if excluded.contains(where: { $0.0 <= ip && ip <= $0.1 }) { return false }
            return !shape.gateways.contains(ip) && !own.contains(ip)
        }
    }

    static func leaseConfig(_ ack: [String: Value]) -> Value {
        let packet = Value.map(ack)
        let options = packet["options"]
        let ip = packet["yiaddr"].string ?? "0.0.0.0"
        let mask = options["subnet_mask"].string ?? IPv4.format(IPv4.classfulMask(IPv4.parse(ip) ?? 0))
        // Option values are taken as given, fractions included; only the defaults are computed.
        let given = { (key: String) -> Value? in options[key].number.map(Value.init(numeric:)) }
        let lease = options["lease_time"].number ?? 86400
        // The first address of a list option (a lone address is taken as it is), else 0.0.0.0.
        func first(_ v: Value) -> Value {
            if let list = v.list { return list.first(where: { !$0.isNull }) ?? "0.0.0.0" }
            return v.isNull ? "0.0.0.0" : v
        }
        return .map([
            "ip": .string(ip),
            "mask": .string(mask),
            "gateway": first(options["router"]),
            "dns": first(options["dns"]),
            "domain": options["domain"].isNull ? "" : options["domain"],
            "tftp": options["tftp"].isNull ? "0.0.0.0" : options["tftp"],
            "wlc": options["wlc"].isNull ? "0.0.0.0" : options["wlc"],
            "lease": Value(numeric: lease),
            "t1": given("renew_time") ?? Value(numeric: (lease / 2).rounded(.down)),
            "t2": given("rebind_time") ?? Value(numeric: (lease * 7 / 8).rounded(.down)),
        ])
    }

    static func reply(_ inv: Invocation) throws(PrimitiveError) -> Value {
        let type = try inv.string(0)
        let pool = Value.map(try inv.map(1))
        let yiaddr = try inv.optionalString(2) ?? "0.0.0.0"
        let ciaddr = try inv.optionalString(3) ?? "0.0.0.0"
        let leaseTimes = try inv.bool(4)
        let packet = try inv.read(DHCP.packet)
        let serverIP = try inv.read(DHCP.ifaceIP)
        let isNAK = type == "DHCPNAK"
        let giaddr = packet["giaddr"].string ?? "0.0.0.0"

        var options: [String: Value] = ["server_id": serverIP]
        if !isNAK {
            if leaseTimes {
                let lease = pool["lease"].number ?? 86400
                options["lease_time"] = Value(numeric: lease)
                options["renew_time"] = Value(numeric: (lease / 2).rounded(.down))
                options["rebind_time"] = Value(numeric: (lease * 7 / 8).rounded(.down))
            }
            func usable(_ v: Value) -> String? {
                guard let s = v.string, !s.isEmpty, s != "0.0.0.0" else { return nil }
                return s
            }
            func add(_ key: String, _ value: Value, list: Bool = false) {
                // A pool may list several routers or DNS servers (IOS `dns-server A B`): kept in order.
                if list, let items = value.list {
                    let kept = items.compactMap(usable).map(Value.string)
                    if !kept.isEmpty { options[key] = .list(kept) }
                    return
                }
                guard let s = usable(value) else { return }
                options[key] = list ? .list([.string(s)]) : .string(s)
            }
            add("subnet_mask", pool["mask"])
            add("router", pool["gateway"], list: true)
            add("dns", pool["dns"], list: true)
            add("domain", pool["domain"])
            add("tftp", pool["tftp"])
            add("wlc", pool["wlc"])
        }
        let fields: [String: Value] = [
            "src_ip": serverIP, "src_port": 67, "op": 2, "htype": 1, "hlen": 6, "hops": 0,
            "xid": packet["xid"], "secs": 0, "flags": packet["flags"],
            "ciaddr": .string(ciaddr), "yiaddr": .string(yiaddr),
            "siaddr": isNAK ? "0.0.0.0" : serverIP,
            "giaddr": .string(giaddr), "chaddr": packet["chaddr"], "options": .map(options),
        ]
        let broadcast = packet["flags"]["broadcast"].isTruthy  // 1 (or true) asks for broadcast replies
        // RFC 2131 §4.1, first rule that fits. The ciaddr rule reads the `ciaddr` argument, i.e. the
        // answer's own ciaddr, not the request's (choice): they differ only for a DISCOVER that
        // carries a ciaddr, which RFC 2131 Table 5 forbids; its OFFER has ciaddr 0 (Table 3) and goes
        // by the broadcast flag, as ISC dhcpd does (it unicasts to ciaddr only for an ACK). A
        // renewing/rebinding REQUEST and an INFORM are answered with ciaddr = the request's, so
        // every conforming exchange is addressed as §4.1 says.
        let to: String
        if giaddr != "0.0.0.0" {
            to = "\(giaddr):67"
        } else if isNAK {
            to = "255.255.255.255:68"
        } else if ciaddr != "0.0.0.0" {
            to = "\(ciaddr):68"
        } else if broadcast {
            to = "255.255.255.255:68"
        } else {
            to = "\(yiaddr):68"
        }
        return try inv.send(type: type, to: to, fields: fields)
    }
}
