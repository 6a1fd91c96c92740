/// Which chart runs for what arrives (SIMULATION.md "Dispatch", CONVENTIONS.md item 14), as
/// data: the rows of the `dispatch` table, then the bindings that name a chart for each
/// (protocol, role, trigger).
public struct DispatchRule: Sendable, Hashable {
    /// What the rule listens to.
    public enum Transport: String, Sendable, CaseIterable {
        case udp, tcp, timer, signal
    }

    /// Which port of a packet the rule reads.
    public enum Side: String, Sendable, CaseIterable {
        /// The port the packet arrives at: a service's fixed port.
        case local
        /// An answer arriving at a port the device's own request or connection left from; the
        /// rule's port is the peer's (the packet's source port).
        case peer
    }

    /// Matching order: the first rule that matches wins.
    public let position: Int
    public let transport: Transport
    /// The port (nil: any port); unused for timers and signals.
    public let port: Int?
    public let side: Side
    /// A glob on the message type, the timer's name or the signal's name.
    public let message: String
    /// Peer side: a glob on the chart whose run the local port was first used by.
    public let sender: String
    public let protocolName: String
    public let role: String
    public let trigger: String

    public init(
        position: Int, transport: Transport, port: Int?, side: Side, message: String, sender: String,
        protocolName: String, role: String, trigger: String
    ) {
        self.position = position
        self.transport = transport
        self.port = port
        self.side = side
        self.message = message
        self.sender = sender
        self.protocolName = protocolName
        self.role = role
        self.trigger = trigger
    }

    /// `protocol.role.trigger`.
    public var binding: String { "\(protocolName).\(role).\(trigger)" }
}

/// The dispatch rules with the charts their bindings name.
public struct Dispatch: Sendable {
    public let rules: [DispatchRule]
    /// `protocol.role.trigger` → chart id (a stored binding, else the chart with that header).
    public let charts: [String: String]

    public init(rules: [DispatchRule], charts: [String: String]) {
        self.rules = rules.sorted { $0.position < $1.position }
        self.charts = charts
    }

    /// The chart bound to `protocol.role.trigger`, if any.
    public func chart(binding: String) -> String? { charts[binding] }

    /// The first rule for a packet, and its chart.
    func forPacket(transport: String, side: DispatchRule.Side, port: Int, type: String, sender: String?) -> (
        DispatchRule, String?
    )? {
        for rule in rules where rule.transport.rawValue == transport && rule.side == side {
            guard rule.port.map({ $0 == port }) ?? true, Glob.matches(rule.message, type) else { continue }
            if side == .peer, !Glob.matches(rule.sender, sender ?? "") { continue }
            return (rule, charts[rule.binding])
        }
        return nil
    }

    /// Whether a service listens on the port (a local rule names it).
    func listens(transport: String, port: Int) -> Bool {
        rules.contains { $0.transport.rawValue == transport && $0.side == .local && $0.port == port }
    }

    /// The first rule for a timer or a signal by its name, and its chart.
    func forName(_ transport: DispatchRule.Transport, _ name: String) -> (DispatchRule, String?)? {
        for rule in rules where rule.transport == transport && Glob.matches(rule.message, name) {
            return (rule, charts[rule.binding])
        }
        return nil
    }
}

/// `*` (any run of characters) and `?` (one character) patterns, as SQLite's GLOB reads them.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        if pattern == "*" { return true }
        if !pattern.contains(where: { $0 == "*" || $0 == "?" }) { return pattern == text }
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// What picks a packet's dispatch row: the rows are fixed for a simulation, so the answer for
/// each kind of packet is looked up once.
struct PacketKind: Hashable {
    let transport: String
    let side: DispatchRule.Side
    let port: Int
    let type: String
    let sender: String?
}

/// A transport and port, for `Dispatch.listens`.
struct PortKey: Hashable {
    let transport: String
    let port: Int
}

extension Simulation {
    /// The chart the first matching dispatch row names for a packet (`Dispatch.forPacket`), remembered.
    func packetChart(transport: String, side: DispatchRule.Side, port: Int, type: String, sender: String?) -> String? {
        let kind = PacketKind(
            transport: transport, side: side, port: port, type: type, sender: side == .peer ? sender : nil)
        if let known = packetCharts[kind] { return known }
        let chart = dispatch.forPacket(transport: transport, side: side, port: port, type: type, sender: sender)?.1
        packetCharts[kind] = .some(chart)
        return chart
    }

    /// Whether a service listens on the port (`Dispatch.listens`), remembered.
    func listens(transport: String, port: Int) -> Bool {
        let key = PortKey(transport: transport, port: port)
        if let known = listening[key] { return known }
        let answer = dispatch.listens(transport: transport, port: port)
        listening[key] = answer
        return answer
    }
}
