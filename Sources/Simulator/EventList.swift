import FlowchartModel

/// The event list as `l7flow simulate` prints it: Packet Tracer's columns, one line per event,
/// each run's decision path under it; or the `--json` document of SIMULATION.md "Event list".
public enum EventList {
    /// Which events to show (`--device`, `--protocol`).
    public struct Filter: Sendable {
        public var device: String?
        public var protocolName: String?
        public init(device: String? = nil, protocolName: String? = nil) {
            self.device = device
            self.protocolName = protocolName
        }

        public func shows(_ e: SimEvent) -> Bool {
            if let device, e.from != device, e.to != device { return false }
            if let p = protocolName {
                let own =
                    e.message["protocol"].string == p || e.type.hasPrefix(p + ".")
                    || e.type.lowercased().hasPrefix(p.lowercased() + "_")
                return own || e.runs.contains { $0.flowchart.hasPrefix(p + ".") }
            }
            return true
        }
    }

    public static let header = "   time   last device  at device   type           info"

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// One event's lines.
    public static func lines(_ e: SimEvent) -> [String] {
        let time = String(format: "%7.3f", e.at)
        let last = e.kind == .deliver || e.kind == .drop ? e.from : "—"
        let type: String
        switch e.kind {
        case .deliver, .drop: type = e.type
        default: type = e.kind.rawValue
        }
        var out = [time + "   " + pad(last, 13) + pad(e.to, 12) + pad(type, 15) + info(e)]
        for run in e.runs {
            var line = "          \(run.flowchart)  " + run.path.joined(separator: " ")
            if let end = run.end { line += " " + end.outcome.rawValue }
            if run.waiting != nil { line += " waiting" }
            if let error = run.error { line += " failed: \(error)" }
            out.append(line)
            for r in run.reports { out.append("          report: " + r.replacingOccurrences(of: "\n", with: "\\n")) }
        }
        return out
    }

    static func info(_ e: SimEvent) -> String {
        switch e.kind {
        case .command:
            if e.type.hasPrefix("link ") { return "\(e.message["iface"].text) \(e.type)" }
            let name = e.message["name"].text
            return name == e.type ? e.type : "\(e.type) (\(name))"
        case .timer:
            return e.message.isNull ? e.type : "\(e.type) (\(e.message.text))"
        case .signal:
            return "\(e.type) \(JSON.encode(e.message))"
        case .warning:
            return e.reason ?? ""
        case .error:
            return e.reason ?? ""
        case .deliver, .drop:
            let m = e.message
            var s =
                Addr.endpoint(m["src_ip"].text, m["src_port"]) + " -> " + Addr.endpoint(m["dst_ip"].text, m["dst_port"])
            let extra = details(m)
            if !extra.isEmpty { s += " " + extra }
            if let reason = e.reason { s += e.kind == .drop ? " dropped: \(reason)" : " (\(reason))" }
            return s
        }
    }

    /// A few fields that tell one message from another, by protocol.
    static func details(_ m: Value) -> String {
        var parts: [String] = []
        switch m["protocol"].string {
        case "dhcp":
            parts.append(m["op"].int == 2 ? "yiaddr \(m["yiaddr"].text)" : "xid \(m["xid"].text)")
        case "dns":
            if let q = m["questions"][0]["name"].string ?? m["name"].string { parts.append(q) }
            if let rcode = m["rcode"].int, m["qr"].int == 1 {
                let names = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"]
                parts.append(names.indices.contains(rcode) ? names[rcode] : "rcode \(rcode)")
            }
        case "tftp":
            if let b = m["block"].int { parts.append("block \(b)") }
            if let f = m["file"].string { parts.append(f) }
            if let e = m["message"].string { parts.append(e) }
        default:
            for key in [
                "command", "code", "data", "text", "url", "status", "state", "tone", "digit", "called_number", "mode",
                "device_name",
            ] {
                let v = m[key]
                if !v.isNull, !(v.text.isEmpty) {
                    let t = v.text.replacingOccurrences(of: "\n", with: " ")
                    parts.append(t.count > 40 ? String(t.prefix(40)) + "…" : t)
                    break
                }
            }
        }
        return parts.joined(separator: " ")
    }

    /// The whole text list.
    public static func text(_ events: [SimEvent], filter: Filter = Filter()) -> String {
        var out = header + "\n"
        for e in events where filter.shows(e) { out += lines(e).joined(separator: "\n") + "\n" }
        return out
    }

    /// The `--json` document.
    public static func json(_ sim: Simulation, filter: Filter = Filter(), expectations: [ExpectationResult]) -> Value {
        var devices: [String: Value] = [:]
        for (name, device) in sim.deviceRoots { devices[name] = .map(["device": device]) }
        return .map([
            "scenario": .string(sim.scenario.name),
            "until": SimEvent.number(sim.until),
            "events": .list(sim.events.filter(filter.shows).map(\.json)),
            "devices": .map(devices),
            "expect": .list(expectations.map(\.json)),
        ])
    }
}
