import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// DNS: the primitives of `spec/dns.md`'s catalogue and the message types.
    public static let dns = ProtocolPack(
        name: "dns", primitives: Registry.dns,
        messages: ["DNS_QUERY", "DNS_RESPONSE"],
        protocol: "dns", transport: "udp")
}

extension Registry {
    /// The DNS primitives of `spec/dns.md`'s catalogue.
    static let dns: [Primitive] = [
        // MARK: Names

        Primitive(
            "dns.is_address", .predicate, [.init("text", .string)], result: .bool,
            "the text is an IPv4 dotted quad or an IPv6 address literal"
        ) { inv throws(PrimitiveError) in
            guard let text = try inv.value(0).string else { return .value(false) }
            return .value(.bool(DNSName.isAddress(text)))
        },
        Primitive(
            "dns.valid_name", .predicate, [.init("name", .string)], result: .bool,
            "labels of 1-63 letters, digits or hyphens, no hyphen at either end, no empty label (one trailing dot allowed), 253 characters at most"
        ) { inv throws(PrimitiveError) in
            guard let name = try inv.value(0).string else { return .value(false) }
            return .value(.bool(DNSName.isValid(name)))
        },
        Primitive(
            "dns.normalize", .function, [.init("name", .string, nullable: false)], result: .string,
            "the name in lower case with its trailing dot removed (the root stays \".\")"
        ) { inv throws(PrimitiveError) in
            .value(.string(DNSName.normalize(try inv.string(0))))
        },
        Primitive(
            "dns.same_name", .predicate, [.init("a", .string), .init("b", .string)], result: .bool,
            "the names are equal after dns.normalize (false when either is missing)"
        ) { inv throws(PrimitiveError) in
            guard let a = try inv.value(0).string, let b = try inv.value(1).string else { return .value(false) }
            return .value(.bool(DNSName.same(a, b)))
        },
        Primitive(
            "dns.parent", .function, [.init("name", .string, nullable: false)], result: .string,
            "the name with its leftmost label removed: www.example.com -> example.com, com -> \".\""
        ) { inv throws(PrimitiveError) in
            .value(.string(DNSName.parent(try inv.string(0))))
        },

        // MARK: Client side

        Primitive(
            "dns.table_lookup", .function,
            [
                .init("table", .list), .init("name", .string, nullable: false),
                .init("type", .string, nullable: false), .init("now", .number),
            ], result: .map,
            "{addresses, ttl} from the first host-table entry with that name and type whose expires is null or later than now; ttl = expires - now, 0 for a static entry; else null"
        ) { inv throws(PrimitiveError) in
            let table = try inv.list(0)
            let name = try inv.string(1)
            let type = try inv.string(2)
            let now = try inv.value(3).number ?? inv.now
            for entry in table {
                guard let owner = entry["name"].string, DNSName.same(owner, name),
                    entry["type"].string?.uppercased() == type.uppercased()
                else { continue }
                let expires = entry["expires"]
                if expires.isNull {
                    return .value(
                        .map(["addresses": entry["addrs"].isNull ? .list([]) : entry["addrs"], "ttl": .int(0)]))
                }
                guard let until = expires.number else {
                    throw PrimitiveError(
                        "dns.table_lookup: the entry for \(owner) has the expiry \(JSON.encode(expires)), not a number or null"
                    )
                }
                if until > now {
                    return .value(
                        .map([
                            "addresses": entry["addrs"].isNull ? .list([]) : entry["addrs"],
                            "ttl": Value(numeric: until - now),
                        ]))
                }
            }
            return .none
        },
        Primitive(
            "dns.client_server", .function, [.init("client", .map), .init("qtype", .string, nullable: false)],
            result: .string,
            "the server to ask: for AAAA server_v6 when set, else server_v4; for other types server_v4; null when unset, 0.0.0.0 or ::"
        ) { inv throws(PrimitiveError) in
            let client = Value.map(try inv.map(0))
            let qtype = try inv.string(1).uppercased()
            func usable(_ v: Value) -> String? {
                guard let s = v.string, !s.isEmpty, s != "0.0.0.0", s != "::" else { return nil }
                return s
            }
            if qtype == "AAAA", let v6 = usable(client["server_v6"]) { return .value(.string(v6)) }
            return .value(usable(client["server_v4"]).map(Value.string) ?? .null)
        },
        Primitive(
            "dns.answer_addresses", .function,
            [
                .init("records", .list), .init("name", .string, nullable: false),
                .init("qtype", .string, nullable: false), .init("max", .int, nullable: false),
            ],
            result: .map,
            "walk from the name: records of qtype at the current name give {addresses, ttl (smallest TTL met)}; a CNAME there moves to its target (a loop or more than max links gives null); else null"
        ) { inv throws(PrimitiveError) in
            let records = try DNS.records(inv.list(0), "dns.answer_addresses", "records")
            return .value(
                DNS.answerAddresses(records, name: try inv.string(1), qtype: try inv.string(2), max: try inv.int(3)))
        },
        Primitive(
            "dns.cname_chain", .function,
            [
                .init("records", .list), .init("name", .string, nullable: false),
                .init("max", .int, nullable: false),
            ], result: .map,
            "null when no CNAME is owned by the name; else the walk along CNAMEs as {links (CNAMEs followed), loop, too_long (past max links), end (the last name reached, lower case without a trailing dot)}"
        ) { inv throws(PrimitiveError) in
            let records = try DNS.records(inv.list(0), "dns.cname_chain", "records")
            return .value(DNS.cnameChain(records, name: try inv.string(1), max: try inv.int(2)))
        },

        // MARK: Server side

        Primitive(
            "dns.respond", .action,
            [
                .init("rcode", .int, nullable: false), .init("aa", .bool, nullable: false),
                .init("answers", .list), .init("authority", .list), .init("additional", .list),
            ],
            result: .map,
            "reply DNS_RESPONSE to the packet: id, opcode, rd and questions copied, qr 1, tc 0, ra 1, aa as 0/1, from port 53"
        ) { inv throws(PrimitiveError) in
            let rcode = try inv.int(0)
            guard (0...15).contains(rcode) else {
                throw PrimitiveError("dns.respond: rcode must be between 0 and 15, not \(rcode)")
            }
            let aa = try inv.bool(1)
            let packet = try inv.read(ContextPath("packet"))
            let fields: [String: Value] = [
                "src_port": 53, "id": packet["id"], "qr": 1, "opcode": packet["opcode"], "aa": .int(aa ? 1 : 0),
                "tc": 0,
                "rd": packet["rd"], "ra": 1, "rcode": .int(rcode), "questions": packet["questions"],
                "answers": .list(try inv.list(2)), "authority": .list(try inv.list(3)),
                "additional": .list(try inv.list(4)),
            ]
            return .value(try inv.reply(type: "DNS_RESPONSE", fields: fields))
        },
        Primitive(
            "dns.local_records", .function, [.init("name", .string), .init("type", .string, nullable: false)],
            result: .list,
            "the server's own records with that owner (case-insensitive) and type, in table order"
        ) { inv throws(PrimitiveError) in
            guard let name = try inv.value(0).string else { return .value(.list([])) }
            return .value(.list(try DNSTables(inv).local(name, try inv.string(1))))
        },
        Primitive(
            "dns.cache_records", .function,
            [.init("name", .string), .init("type", .string, nullable: false), .init("now", .number)],
            result: .list,
            "the live cached records with that owner and type (expires > now), without expires and with ttl = expires - now"
        ) { inv throws(PrimitiveError) in
            guard let name = try inv.value(0).string else { return .value(.list([])) }
            return .value(.list(try DNSTables(inv, now: try inv.value(2).number).cached(name, try inv.string(1))))
        },
        Primitive(
            "dns.add_records", .action, [.init("list", .list, passing: .path), .init("records", .list)],
            "append each record to the list at the path (a missing list is created)"
        ) { inv throws(PrimitiveError) in
            try inv.append(try inv.list(1), toListAt: 0)
            return .none
        },
        Primitive(
            "dns.mark_nxdomain", .action, [.init("r", .map, passing: .path), .init("name", .string, nullable: false)],
            "set qname = name, authority = [the own SOA of the name or its nearest ancestor] (else [] and aa = false), status = nodata when the name exists in the own table (owns a record or has one below it), else nxdomain"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let name = try inv.string(1)
            let tables = try DNSTables(inv)
            var r: [String: Value]
            switch inv.read(loc) {
            case .null: r = [:]
            case .map(let m): r = m
            case let other:
                throw PrimitiveError(
                    "dns.mark_nxdomain: \(inv.pathText(0)) holds a \(other.typeName), not a search result map")
            }
            r["qname"] = .string(name)
            if let soa = tables.closestSOA(name) {
                r["authority"] = .list([soa])
            } else {
                r["authority"] = .list([])
                r["aa"] = .bool(false)
            }
            r["status"] = .string(tables.nameExists(name) ? "nodata" : "nxdomain")
            try inv.write(loc, .map(r))
            inv.effect(["set": .string(inv.pathText(0)), "value": .map(r)])
            return .none
        },
        Primitive(
            "dns.negative_rcode", .function, [.init("status", .string, nullable: false)], result: .int,
            "3 (NXDOMAIN) for nxdomain, 0 (NOERROR with an empty answer) for nodata"
        ) { inv throws(PrimitiveError) in
            switch try inv.string(0) {
            case "nxdomain": return .value(3)
            case "nodata": return .value(0)
            case let other:
                throw PrimitiveError("dns.negative_rcode: status must be \"nxdomain\" or \"nodata\", not \"\(other)\"")
            }
        },
        Primitive(
            "dns.ns_records", .function, [.init("name", .string, nullable: false), .init("now", .number)],
            result: .list,
            "the own NS records owned by the name, then the live cached ones (as dns.cache_records)"
        ) { inv throws(PrimitiveError) in
            .value(.list(try DNSTables(inv, now: try inv.value(1).number).nsRecords(try inv.string(0))))
        },
        Primitive(
            "dns.first_foreign_ns_address", .function,
            [.init("ns", .list), .init("own", .list), .init("now", .number)],
            result: .string,
            "taking the NS records in order, the first address (own A/AAAA record, else live cached) of the server they name that is not one of own; else null"
        ) { inv throws(PrimitiveError) in
            let ns = try DNS.records(inv.list(0), "dns.first_foreign_ns_address", "ns")
            let own = DNS.ownAddresses(try inv.list(1))
            let tables = try DNSTables(inv, now: try inv.value(2).number)
            for record in ns {
                let found = tables.addressRecords(ofNS: record)
                for a in found.own + found.cached {
                    if let address = a["data"].string, !DNS.isOwn(a, own) { return .value(.string(address)) }
                }
            }
            return .none
        },
        Primitive(
            "dns.ns_address_records", .function, [.init("ns", .list), .init("own", .list), .init("now", .number)],
            result: .list,
            "the glue: every own A/AAAA record of the servers the NS records name, then every live cached one, skipping addresses in own and repeats"
        ) { inv throws(PrimitiveError) in
            let ns = try DNS.records(inv.list(0), "dns.ns_address_records", "ns")
            let own = DNS.ownAddresses(try inv.list(1))
            let tables = try DNSTables(inv, now: try inv.value(2).number)
            let found = ns.map(tables.addressRecords(ofNS:))
            var out: [Value] = []
            var seen: Set<String> = []
            for a in found.flatMap(\.own) + found.flatMap(\.cached) {
                guard let address = a["data"].string, !DNS.isOwn(a, own) else { continue }
                let key =
                    "\(DNSName.normalize(a["name"].string ?? ""))|\(a["type"].text.uppercased())|\(DNS.addressKey(address))"
                if seen.insert(key).inserted { out.append(a) }
            }
            return .value(.list(out))
        },
        Primitive(
            "dns.ns_points_to_self", .predicate, [.init("ns", .list), .init("own", .list), .init("now", .number)],
            result: .bool,
            "some NS record names a server whose address (own or live cached A/AAAA) is one of own"
        ) { inv throws(PrimitiveError) in
            let ns = try DNS.records(inv.list(0), "dns.ns_points_to_self", "ns")
            let own = DNS.ownAddresses(try inv.list(1))
            let tables = try DNSTables(inv, now: try inv.value(2).number)
            for record in ns {
                let found = tables.addressRecords(ofNS: record)
                if (found.own + found.cached).contains(where: { DNS.isOwn($0, own) }) { return .value(true) }
            }
            return .value(false)
        },
        Primitive(
            "dns.cache_put", .action,
            [.init("cache", .list, passing: .path), .init("records", .list), .init("now", .number)],
            "add each record to the cache with expires = now + ttl, replacing an entry with the same name, type and data"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let records = try DNS.records(inv.list(1), "dns.cache_put", "records")
            let now = try inv.value(2).number ?? inv.now
            var cache: [Value]
            switch inv.read(loc) {
            case .null: cache = []
            case .list(let l): cache = l
            case let other:
                throw PrimitiveError("dns.cache_put: \(inv.pathText(0)) holds a \(other.typeName), not a list")
            }
            var added: [Value] = []
            for record in records {
                guard case .map(var m) = record, let name = m["name"]?.string, let type = m["type"]?.string else {
                    throw PrimitiveError("dns.cache_put: a record needs a name and a type, not \(JSON.encode(record))")
                }
                let ttl = m["ttl"]?.number ?? 0
                m["expires"] = Value(numeric: now + max(ttl, 0))
                let entry = Value.map(m)
                if let i = cache.firstIndex(where: {
                    DNSTables.owned($0, by: name, type: type) && DNS.sameData($0["data"], record["data"], type: type)
                }) {
                    cache[i] = entry
                } else {
                    cache.append(entry)
                }
                added.append(entry)
            }
            try inv.write(loc, .list(cache))
            inv.effect(["cache_put": .string(inv.pathText(0)), "values": .list(added)])
            return .none
        },
        Primitive(
            "dns.referral_target", .function, [.init("packet", .map, nullable: false)], result: .string,
            "the address, from packet.additional, of the first NS name in packet.authority that has one; else null"
        ) { inv throws(PrimitiveError) in
            .value(DNS.referralTarget(.map(try inv.map(0))))
        },
        Primitive(
            "dns.relay_rcode", .function, [.init("rcode", .int)], result: .int,
            "the rcode when it is not 0, else 2 (SERVFAIL: a NOERROR answer with no data and no usable referral is passed on as a failure; a missing rcode too)"
        ) { inv throws(PrimitiveError) in
            let v = try inv.value(0)
            guard !v.isNull else { return .value(2) }
            guard let rcode = v.int else {
                throw PrimitiveError("dns.relay_rcode: rcode must be a whole number, not \(JSON.encode(v))")
            }
            return .value(.int(rcode == 0 ? 2 : rcode))
        },
    ]
}
