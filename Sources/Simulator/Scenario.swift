import FlowchartModel
import Protocols

/// A scenario file (`*.scenario.json`, SIMULATION.md "Scenario file"), checked key by key: a
/// typo or a malformed address is refused with the key that holds it.
public struct Scenario: Sendable {
    public let name: String
    public let description: String
    /// When the simulation stops, in seconds of virtual time (nil: when nothing is left to do).
    public let until: Double?
    /// Seconds a hop across a LAN takes.
    public let linkDelay: Double
    /// The seed of the global `env`.
    public let env: [String: Value]
    /// Device names in order (sorted, so runs repeat) and their `device` roots.
    public let devices: [(name: String, device: Value)]
    public let commands: [Command]
    public let drops: [DropFault]
    public let linkFaults: [LinkFault]
    public let expectations: [Expectation]

    /// A user's action at a time.
    public struct Command: Sendable {
        public enum Action: Sendable {
            /// Start a chart (by id), or the chart bound to a protocol.role.trigger.
            case chart(String, event: [String: Value], args: Value?)
            case trigger(protocolName: String, role: String, trigger: String, event: [String: Value], args: Value?)
            /// Raise a signal on the device.
            case signal(String, Value)
        }
        public let at: Double
        public let device: String
        /// Index into `device.interfaces`.
        public let iface: Int
        public let action: Action
        /// Where it is in the file (`commands[2]`), for messages.
        public let key: String
    }

    /// `faults[].drop`: removes matching deliveries (the Nth only when `nth` is given).
    public struct DropFault: Sendable {
        public let type: String?
        public let from: String?
        public let to: String?
        public let nth: Int?
    }

    /// `faults[]` with `link`: an interface goes down or up at a time.
    public struct LinkFault: Sendable {
        public let at: Double
        public let up: Bool
        public let device: String
        public let iface: Int
    }

    /// One `expect` entry.
    public enum Expectation: Sendable {
        case equals(device: String, path: String, value: Value)
        case matches(device: String, path: String, pattern: String)
        case delivered(type: String?, from: String?, to: String?, count: Int?, min: Int?, max: Int?)
        case report(device: String, pattern: String)
    }
}

/// A scenario that cannot be used, naming the key at fault.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public let key: String
    public let message: String
    public init(_ key: String, _ message: String) {
        self.key = key
        self.message = message
    }
    public var description: String { key.isEmpty ? "scenario: \(message)" : "scenario: \(key): \(message)" }
}

extension Scenario {
    static let topKeys = [
        "scenario", "description", "until", "link_delay", "env", "devices", "commands", "faults", "expect",
    ]

    /// Reads and checks a scenario. Chart names are checked later, against the loaded charts.
    public static func parse(_ text: String) throws(ScenarioError) -> Scenario {
        let value: Value
        do { value = try JSON.parse(text) } catch { throw ScenarioError("", "not valid JSON (\(error))") }
        guard case .map(let top) = value else {
            throw ScenarioError("", "a scenario is a JSON object, not a \(value.typeName)")
        }
        try onlyKeys(top, topKeys, at: "")
        guard top["devices"] != nil else { throw ScenarioError("devices", "a scenario needs its devices") }
        let name = try optionalString(top, "scenario", at: "") ?? ""
        let description = try optionalString(top, "description", at: "") ?? ""
        let until = try optionalNumber(top, "until", at: "")
        if let until, until < 0 { throw ScenarioError("until", "must not be negative") }
        let linkDelay = try optionalNumber(top, "link_delay", at: "") ?? 0.001
        guard linkDelay > 0 else { throw ScenarioError("link_delay", "must be more than 0 seconds") }
        var env: [String: Value] = [:]
        if let e = top["env"] {
            guard case .map(let m) = e else { throw ScenarioError("env", "must be an object") }
            env = m
        }
        guard case .map(let deviceMap) = top["devices"]! else {
            throw ScenarioError("devices", "must map device names to {device: ...}")
        }
        var devices: [(String, Value)] = []
        for name in deviceMap.keys.sorted() {
            let key = "devices.\(name)"
            guard case .map(let entry) = deviceMap[name]! else {
                throw ScenarioError(key, "must be an object {device: {...}}")
            }
            try onlyKeys(entry, ["device"], at: key)
            guard case .map(let device)? = entry["device"] else {
                throw ScenarioError("\(key).device", "must be an object (the device root)")
            }
            try checkDevice(device, at: "\(key).device")
            devices.append((name, .map(device)))
        }
        let deviceRoots = Dictionary(devices, uniquingKeysWith: { a, _ in a })

        func deviceAndIface(_ m: [String: Value], at key: String) throws(ScenarioError) -> (String, Int) {
            guard let d = m["device"]?.string else { throw ScenarioError("\(key).device", "names no device") }
            guard let root = deviceRoots[d] else { throw ScenarioError("\(key).device", "no device '\(d)' in devices") }
            let ifaces = root["interfaces"].list ?? []
            guard let i = m["iface"] else { return (d, 0) }
            guard let n = i.string else { throw ScenarioError("\(key).iface", "must be an interface name") }
            guard let index = ifaces.firstIndex(where: { $0["name"].string == n }) else {
                throw ScenarioError("\(key).iface", "device '\(d)' has no interface '\(n)'")
            }
            return (d, index)
        }

        var commands: [Command] = []
        for (i, item) in (try list(top, "commands")).enumerated() {
            let key = "commands[\(i)]"
            guard case .map(let c) = item else { throw ScenarioError(key, "must be an object") }
            try onlyKeys(c, ["at", "device", "iface", "chart", "trigger", "event", "args", "signal", "value"], at: key)
            let at = try optionalNumber(c, "at", at: key) ?? 0
            guard at >= 0 else { throw ScenarioError("\(key).at", "must not be negative") }
            let (device, iface) = try deviceAndIface(c, at: key)
            var event: [String: Value] = [:]
            if let e = c["event"] {
                guard case .map(let m) = e else { throw ScenarioError("\(key).event", "must be an object") }
                event = m
            }
            let args = c["args"]
            if let args, case .map = args {
            } else if args != nil {
                throw ScenarioError("\(key).args", "must be an object")
            }
            let chosen = ["chart", "trigger", "signal"].filter { c[$0] != nil }
            guard chosen.count == 1 else { throw ScenarioError(key, "needs exactly one of chart, trigger, signal") }
            let action: Command.Action
            if let chart = c["chart"] {
                guard let id = chart.string, !id.isEmpty else {
                    throw ScenarioError("\(key).chart", "must be a chart id")
                }
                action = .chart(id, event: event, args: args)
            } else if let trigger = c["trigger"] {
                let parts = trigger.string?.split(separator: ".").map(String.init) ?? []
                guard parts.count >= 3 else { throw ScenarioError("\(key).trigger", "must read protocol.role.trigger") }
                action = .trigger(
                    protocolName: parts[0], role: parts[1], trigger: parts[2...].joined(separator: "."), event: event,
                    args: args)
            } else {
                guard let s = c["signal"]?.string, !s.isEmpty else {
                    throw ScenarioError("\(key).signal", "must be a signal name")
                }
                if c["event"] != nil || c["args"] != nil {
                    throw ScenarioError(key, "a signal takes a value, not event or args")
                }
                action = .signal(s, c["value"] ?? .null)
            }
            if c["value"] != nil, c["signal"] == nil {
                throw ScenarioError("\(key).value", "only a signal takes a value")
            }
            commands.append(Command(at: at, device: device, iface: iface, action: action, key: key))
        }

        var drops: [DropFault] = []
        var links: [LinkFault] = []
        for (i, item) in (try list(top, "faults")).enumerated() {
            let key = "faults[\(i)]"
            guard case .map(let f) = item else { throw ScenarioError(key, "must be an object") }
            if let d = f["drop"] {
                try onlyKeys(f, ["drop"], at: key)
                guard case .map(let m) = d else {
                    throw ScenarioError("\(key).drop", "must be an object {type, from, to, nth}")
                }
                try onlyKeys(m, ["type", "from", "to", "nth"], at: "\(key).drop")
                let type = try optionalString(m, "type", at: "\(key).drop")
                let from = try optionalString(m, "from", at: "\(key).drop")
                let to = try optionalString(m, "to", at: "\(key).drop")
                guard type != nil || from != nil || to != nil else {
                    throw ScenarioError("\(key).drop", "names nothing to drop (give type, from or to)")
                }
                for (k, d) in [("from", from), ("to", to)] {
                    if let d, deviceRoots[d] == nil {
                        throw ScenarioError("\(key).drop.\(k)", "no device '\(d)' in devices")
                    }
                }
                var nth: Int?
                if let n = m["nth"] {
                    guard let v = n.int, v >= 1 else {
                        throw ScenarioError("\(key).drop.nth", "must be a whole number from 1")
                    }
                    nth = v
                }
                drops.append(DropFault(type: type, from: from, to: to, nth: nth))
            } else if let l = f["link"] {
                try onlyKeys(f, ["at", "link", "device", "iface"], at: key)
                guard let word = l.string, word == "up" || word == "down" else {
                    throw ScenarioError("\(key).link", "must be \"up\" or \"down\"")
                }
                let at = try optionalNumber(f, "at", at: key) ?? 0
                guard at >= 0 else { throw ScenarioError("\(key).at", "must not be negative") }
                let (device, iface) = try deviceAndIface(f, at: key)
                links.append(LinkFault(at: at, up: word == "up", device: device, iface: iface))
            } else {
                throw ScenarioError(key, "names no fault (expected drop or link)")
            }
        }

        var expectations: [Expectation] = []
        for (i, item) in (try list(top, "expect")).enumerated() {
            let key = "expect[\(i)]"
            guard case .map(let e) = item else { throw ScenarioError(key, "must be an object") }
            if let d = e["delivered"] {
                try onlyKeys(e, ["delivered", "count", "min", "max"], at: key)
                guard case .map(let m) = d else {
                    throw ScenarioError("\(key).delivered", "must be an object {type, from, to}")
                }
                try onlyKeys(m, ["type", "from", "to"], at: "\(key).delivered")
                func count(_ k: String) throws(ScenarioError) -> Int? {
                    guard let v = e[k] else { return nil }
                    guard let n = v.int, n >= 0 else { throw ScenarioError("\(key).\(k)", "must be a whole number") }
                    return n
                }
                let from = try optionalString(m, "from", at: "\(key).delivered")
                let to = try optionalString(m, "to", at: "\(key).delivered")
                for (k, d) in [("from", from), ("to", to)] {
                    if let d, deviceRoots[d] == nil {
                        throw ScenarioError("\(key).delivered.\(k)", "no device '\(d)' in devices")
                    }
                }
                let c = try count("count")
                let lo = try count("min")
                let hi = try count("max")
                guard c != nil || lo != nil || hi != nil else {
                    throw ScenarioError(key, "needs count, or min and/or max")
                }
                expectations.append(
                    .delivered(
                        type: try optionalString(m, "type", at: "\(key).delivered"), from: from, to: to,
                        count: c, min: lo, max: hi))
            } else if let r = e["report"] {
                try onlyKeys(e, ["report"], at: key)
                guard case .map(let m) = r else {
                    throw ScenarioError("\(key).report", "must be an object {device, matches}")
                }
                try onlyKeys(m, ["device", "matches"], at: "\(key).report")
                let (device, _) = try deviceAndIface(m, at: "\(key).report")
                guard let pattern = m["matches"]?.string else {
                    throw ScenarioError("\(key).report.matches", "must be a regular expression")
                }
                try checkPattern(pattern, at: "\(key).report.matches")
                expectations.append(.report(device: device, pattern: pattern))
            } else {
                try onlyKeys(e, ["device", "path", "equals", "matches"], at: key)
                let (device, _) = try deviceAndIface(e, at: key)
                guard let path = e["path"]?.string else {
                    throw ScenarioError("\(key).path", "must be a context path of the device root")
                }
                guard path == "device" || path.hasPrefix("device.") || path.hasPrefix("device[") else {
                    throw ScenarioError("\(key).path", "must start with device")
                }
                if (try? ExpectPath.parse(path)) == nil {
                    throw ScenarioError("\(key).path", "'\(path)' is not a path")
                }
                if let v = e["equals"] {
                    if e["matches"] != nil { throw ScenarioError(key, "takes equals or matches, not both") }
                    expectations.append(.equals(device: device, path: path, value: v))
                } else if let p = e["matches"] {
                    guard let pattern = p.string else {
                        throw ScenarioError("\(key).matches", "must be a regular expression")
                    }
                    try checkPattern(pattern, at: "\(key).matches")
                    expectations.append(.matches(device: device, path: path, pattern: pattern))
                } else {
                    throw ScenarioError(key, "needs equals or matches (or is a delivered or report expectation)")
                }
            }
        }
        return Scenario(
            name: name, description: description, until: until, linkDelay: linkDelay, env: env, devices: devices,
            commands: commands, drops: drops, linkFaults: links, expectations: expectations)
    }

    static func checkPattern(_ pattern: String, at key: String) throws(ScenarioError) {
        do { _ = try Regex(pattern) } catch { throw ScenarioError(key, "is not a regular expression: \(error)") }
    }

    static func onlyKeys(_ map: [String: Value], _ allowed: [String], at key: String) throws(ScenarioError) {
        for k in map.keys.sorted() where !allowed.contains(k) {
            throw ScenarioError(
                key.isEmpty ? k : "\(key).\(k)", "unknown key (expected \(allowed.joined(separator: ", ")))")
        }
    }

    static func optionalString(_ map: [String: Value], _ k: String, at key: String) throws(ScenarioError) -> String? {
        guard let v = map[k], !v.isNull else { return nil }
        guard let s = v.string else { throw ScenarioError(key.isEmpty ? k : "\(key).\(k)", "must be a string") }
        return s
    }

    static func optionalNumber(_ map: [String: Value], _ k: String, at key: String) throws(ScenarioError) -> Double? {
        guard let v = map[k], !v.isNull else { return nil }
        guard let n = v.number else { throw ScenarioError(key.isEmpty ? k : "\(key).\(k)", "must be a number") }
        return n
    }

    static func list(_ map: [String: Value], _ k: String) throws(ScenarioError) -> [Value] {
        guard let v = map[k], !v.isNull else { return [] }
        guard case .list(let l) = v else { throw ScenarioError(k, "must be a list") }
        return l
    }

    /// Checks what the network model reads from a device root: interfaces, routes, helpers.
    static func checkDevice(_ device: [String: Value], at key: String) throws(ScenarioError) {
        if let f = device["forwarding"], !f.isNull, !(f == .bool(true) || f == .bool(false)) {
            throw ScenarioError("\(key).forwarding", "must be true or false")
        }
        var names: Set<String> = []
        if let ifs = device["interfaces"], !ifs.isNull {
            guard case .list(let list) = ifs else { throw ScenarioError("\(key).interfaces", "must be a list") }
            for (i, item) in list.enumerated() {
                let k = "\(key).interfaces[\(i)]"
                guard case .map(let m) = item else { throw ScenarioError(k, "must be an object") }
                guard let name = m["name"]?.string, !name.isEmpty else {
                    throw ScenarioError("\(k).name", "every interface needs a name")
                }
                guard names.insert(name).inserted else {
                    throw ScenarioError("\(k).name", "the device has two interfaces named '\(name)'")
                }
                if let lan = m["lan"], !lan.isNull, lan.string == nil {
                    throw ScenarioError("\(k).lan", "must be a LAN name")
                }
                var addrs: [String: UInt32] = [:]
                for field in ["ip", "mask", "gateway"] {
                    guard let v = m[field], !v.isNull else { continue }
                    guard let s = v.string, let a = IPv4.parse(s) else {
                        throw ScenarioError("\(k).\(field)", "'\(v.text)' is not an IPv4 address")
                    }
                    addrs[field] = a
                }
                if let mask = addrs["mask"], mask != 0, (~mask &+ 1) & ~mask != 0 {
                    throw ScenarioError("\(k).mask", "\(IPv4.format(mask)) is not a mask (its ones must come first)")
                }
                if let ip = addrs["ip"], let mask = addrs["mask"], let gw = addrs["gateway"], ip != 0, gw != 0,
                    mask != 0, ip & mask != gw & mask
                {
                    throw ScenarioError(
                        "\(k).gateway",
                        "\(IPv4.format(gw)) is outside the interface's subnet \(IPv4.format(ip & mask))/\(mask.nonzeroBitCount)"
                    )
                }
                if let h = m["helper_addresses"], !h.isNull {
                    guard case .list(let hs) = h else {
                        throw ScenarioError("\(k).helper_addresses", "must be a list of IPv4 addresses")
                    }
                    for (j, x) in hs.enumerated() where x.string.flatMap(IPv4.parse) == nil {
                        throw ScenarioError("\(k).helper_addresses[\(j)]", "'\(x.text)' is not an IPv4 address")
                    }
                }
                if let v6 = m["ipv6_addrs"], !v6.isNull {
                    guard case .list(let l6) = v6 else { throw ScenarioError("\(k).ipv6_addrs", "must be a list") }
                    for (j, x) in l6.enumerated() where x["addr"].string.flatMap(IPv6.parse) == nil {
                        throw ScenarioError("\(k).ipv6_addrs[\(j)].addr", "'\(x["addr"].text)' is not an IPv6 address")
                    }
                }
                if let ll = m["link_local"], !ll.isNull, ll.string.flatMap(IPv6.parse) == nil {
                    throw ScenarioError("\(k).link_local", "'\(ll.text)' is not an IPv6 address")
                }
            }
        }
        if let r = device["routes"], !r.isNull {
            guard case .list(let routes) = r else {
                throw ScenarioError("\(key).routes", "must be a list of {prefix, next_hop}")
            }
            for (i, route) in routes.enumerated() {
                let k = "\(key).routes[\(i)]"
                guard case .map(let m) = route else { throw ScenarioError(k, "must be an object {prefix, next_hop}") }
                try onlyKeys(m, ["prefix", "next_hop"], at: k)
                guard let p = m["prefix"]?.string, Prefix(p) != nil else {
                    throw ScenarioError("\(k).prefix", "'\(m["prefix"]?.text ?? "")' is not a prefix a.b.c.d/n")
                }
                guard m["next_hop"]?.string.flatMap(IPv4.parse) != nil else {
                    throw ScenarioError("\(k).next_hop", "'\(m["next_hop"]?.text ?? "")' is not an IPv4 address")
                }
            }
        }
    }
}

/// An IPv4 prefix `a.b.c.d/n`.
struct Prefix: Sendable, Hashable {
    let network: UInt32
    let length: Int
    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let a = IPv4.parse(String(parts[0])), let n = Int(parts[1]), (0...32).contains(n) else {
            return nil
        }
        length = n
        network = a & Prefix.mask(n)
    }
    static func mask(_ n: Int) -> UInt32 { n == 0 ? 0 : UInt32.max << UInt32(32 - n) }
    func contains(_ a: UInt32) -> Bool { a & Prefix.mask(length) == network }
}
