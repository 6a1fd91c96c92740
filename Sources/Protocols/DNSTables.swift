import FlowEngine
import FlowchartModel

/// The DNS server's record table and cache (`device.dns_server.records` / `.cache`), read once per
/// primitive call. Records are `{name, type, class, ttl, data}`; cache entries add `expires`.
struct DNSTables {
    static let recordsPath = ContextPath("device.dns_server.records")
    static let cachePath = ContextPath("device.dns_server.cache")

    let records: [Value]
    let cache: [Value]
    let now: Double

    init(_ inv: Invocation, now: Double? = nil) throws(PrimitiveError) {
        records = try inv.read(DNSTables.recordsPath).list ?? []
        cache = try inv.read(DNSTables.cachePath).list ?? []
        self.now = now ?? inv.now
    }

    static func owned(_ record: Value, by name: String, type: String) -> Bool {
        guard let owner = record["name"].string, let t = record["type"].string else { return false }
        return t.uppercased() == type.uppercased() && DNSName.same(owner, name)
    }

    /// Own records with that owner and type, in table order, as stored.
    func local(_ name: String, _ type: String) -> [Value] {
        records.filter { DNSTables.owned($0, by: name, type: type) }
    }

    /// Live cached records with that owner and type, without `expires` and with the TTL left.
    func cached(_ name: String, _ type: String) -> [Value] {
        cache.compactMap { entry in DNSTables.owned(entry, by: name, type: type) ? cachedRecord(entry, type) : nil }
    }

    /// A cache entry as a live record (no `expires`, `ttl` = expires - now), or nil when it has expired.
    private func cachedRecord(_ entry: Value, _ type: String) -> Value? {
        guard let expires = entry["expires"].number, expires > now, case .map(var m) = entry else { return nil }
        m.removeValue(forKey: "expires")
        m["ttl"] = Value(numeric: expires - now)
        return .map(m)
    }

    /// Own NS records of the name, then live cached ones.
    func nsRecords(_ name: String) -> [Value] { local(name, "NS") + cached(name, "NS") }

    /// The A/AAAA records of the server an NS record names: own ones first (in table order, A and
    /// AAAA as they come), then live cached ones (in cache order). The spec names no preference of
    /// one family over the other, so the table's order decides (choice).
    func addressRecords(ofNS ns: Value) -> (own: [Value], cached: [Value]) {
        guard let target = ns["data"].string else { return ([], []) }
        func isAddress(_ r: Value) -> Bool {
            DNSTables.owned(r, by: target, type: "A") || DNSTables.owned(r, by: target, type: "AAAA")
        }
        let own = records.filter(isAddress)
        let live = cache.compactMap { entry -> Value? in
            guard isAddress(entry), let type = entry["type"].string else { return nil }
            return cachedRecord(entry, type)
        }
        return (own, live)
    }

    /// Some own record is owned by the name or by a name below it (the name exists, RFC 8020).
    func nameExists(_ name: String) -> Bool {
        records.contains { $0["name"].string.map { DNSName.isAtOrBelow($0, name) } ?? false }
    }

    /// The own SOA whose owner is the name or its nearest ancestor.
    func closestSOA(_ name: String) -> Value? {
        var current = name
        while true {
            if let soa = local(current, "SOA").first { return soa }
            if DNSName.normalize(current) == "." { return nil }
            current = DNSName.parent(current)
        }
    }
}

/// Shared DNS helpers for the primitives.
enum DNS {
    /// An address in one spelling per address (IPv6 groups compared as numbers, so `2001:DB8::10`
    /// and `2001:db8:0::10` are one address); any other text stays as it is.
    static func addressKey(_ text: String) -> String {
        if let v4 = IPv4.parse(text) { return "4:\(v4)" }
        if let v6 = IPv6.parse(text) { return "6:\(v6.high):\(v6.low)" }
        return text
    }

    /// The set of addresses of an `own` argument, by `addressKey`.
    static func ownAddresses(_ list: [Value]) -> Set<String> { Set(list.compactMap(\.string).map(addressKey)) }

    /// The record data is an address in `own`.
    static func isOwn(_ record: Value, _ own: Set<String>) -> Bool {
        record["data"].string.map { own.contains(addressKey($0)) } ?? false
    }

    /// Two records' data are the same: names (CNAME, NS) without regard to case or a trailing dot,
    /// addresses (A, AAAA) by value, anything else exactly.
    static func sameData(_ a: Value, _ b: Value, type: String) -> Bool {
        if a == b { return true }
        guard let x = a.string, let y = b.string else { return false }
        switch type.uppercased() {
        case "CNAME", "NS": return DNSName.same(x, y)
        case "A", "AAAA": return addressKey(x) == addressKey(y)
        default: return false
        }
    }

    /// The records of a list argument that are maps (anything else in the list is an error).
    static func records(_ list: [Value], _ primitive: String, _ parameter: String) throws(PrimitiveError) -> [Value] {
        for item in list {
            guard case .map = item else {
                throw PrimitiveError(
                    "\(primitive): '\(parameter)' must hold records ({name, type, class, ttl, data}), not the \(item.typeName) \(JSON.encode(item))"
                )
            }
        }
        return list
    }

    /// `{addresses, ttl}` for `name`/`qtype` from the answer records, following at most `max` CNAMEs.
    static func answerAddresses(_ records: [Value], name: String, qtype: String, max: Int) -> Value {
        var current = name
        var seen: Set<String> = [DNSName.normalize(name)]
        var ttl: Double?
        var links = 0
        func meet(_ r: Value) {
            if let t = r["ttl"].number { ttl = Swift.min(ttl ?? t, t) }
        }
        while true {
            let hits = records.filter { DNSTables.owned($0, by: current, type: qtype) }
            if !hits.isEmpty {
                hits.forEach(meet)
                return .map([
                    "addresses": .list(hits.map { $0["data"] }), "ttl": ttl.map(Value.init(numeric:)) ?? .int(0),
                ])
            }
            guard let cname = records.first(where: { DNSTables.owned($0, by: current, type: "CNAME") }),
                let target = cname["data"].string
            else { return .null }
            links += 1
            guard links <= max, seen.insert(DNSName.normalize(target)).inserted else { return .null }
            meet(cname)
            current = target
        }
    }

    /// The CNAME walk from `name`: `{links, loop, too_long, end}` (`end` normalized), or null when `name` owns no CNAME.
    static func cnameChain(_ records: [Value], name: String, max: Int) -> Value {
        var current = name
        var seen: Set<String> = [DNSName.normalize(name)]
        var links = 0
        var loop = false
        var tooLong = false
        while let cname = records.first(where: { DNSTables.owned($0, by: current, type: "CNAME") }),
            let target = cname["data"].string
        {
            links += 1
            current = target
            if !seen.insert(DNSName.normalize(target)).inserted {
                loop = true
                break
            }
            if links > max {
                tooLong = true
                break
            }
        }
        if links == 0 { return .null }
        // `end` in normal form (lower case, no trailing dot), the form `dns.client.resolve` keeps in
        // the resolver's `name` and `visited`: a chart's generic `in(end, visited)` then catches a
        // CNAME back to a name already asked even when the record spells it in other case.
        return .map([
            "links": .int(links), "loop": .bool(loop), "too_long": .bool(tooLong),
            "end": .string(DNSName.normalize(current)),
        ])
    }

    /// The address, from `additional`, of the first NS name in `authority` that has one.
    static func referralTarget(_ packet: Value) -> Value {
        let additional = packet["additional"].list ?? []
        for ns in packet["authority"].list ?? [] where ns["type"].string?.uppercased() == "NS" {
            guard let server = ns["data"].string else { continue }
            if let glue = additional.first(where: {
                DNSTables.owned($0, by: server, type: "A") || DNSTables.owned($0, by: server, type: "AAAA")
            }),
                let address = glue["data"].string
            {
                return .string(address)
            }
        }
        return .null
    }
}
