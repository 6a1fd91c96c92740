import FlowEngine
import FlowchartModel

/// One device of a simulation: its `device` root and what the engine keeps beside it (timers,
/// suspended runs, the transport's ports and connections, reported lines).
final class DeviceState {
    let name: String
    /// The `device` root; changed only through `replace`, `setIface` and `set`, which keep the
    /// parsed interfaces beside it current.
    private(set) var device: Value
    /// `device.interfaces` as a list, kept beside the root.
    private(set) var interfaces: [Value] = []
    /// Each interface's addressing, parsed.
    private(set) var infos: [InterfaceInfo] = []
    /// `device.own_addrs` as the interfaces make it.
    private var ownAddrs: Value = .list([])
    /// Armed timers by identity.
    var timers: [TimerKey: ArmedTimer] = [:]
    /// Suspended runs, in the order they began to wait.
    var waiting: [Suspended] = []
    /// The next local port the transport tries (1025 up, skipping ports in use).
    var nextPort = 1025
    /// Local ports the device's own requests or connections left from, and the chart that first used each.
    var ownPorts: [Int: String] = [:]
    var connections: [Connection] = []
    var reports: [String] = []
    /// When `device.clock` was last brought up to `env.now`.
    var clockAt: Double = 0

    init(name: String, device: Value) {
        self.name = name
        self.device = device
        readInterfaces()
    }

    private func readInterfaces() {
        interfaces = device["interfaces"].list ?? []
        infos = interfaces.map(InterfaceInfo.init)
        ownAddrs = .list(Addr.ownAddresses(device))
    }

    func iface(_ i: Int) -> Value { interfaces.indices.contains(i) ? interfaces[i] : .null }

    func info(_ i: Int) -> InterfaceInfo? { infos.indices.contains(i) ? infos[i] : nil }

    /// Takes the root a run left. Returns the interfaces' previous addressing when they changed.
    func replace(_ root: Value) -> [InterfaceInfo]? {
        let before = interfaces
        device = root
        guard device["interfaces"].list ?? [] != before else { return nil }
        let old = infos
        readInterfaces()
        return old
    }

    /// Replaces one interface. Returns the interfaces' previous addressing.
    func setIface(_ i: Int, _ value: Value) -> [InterfaceInfo]? {
        guard case .map(var d) = device, case .list(var l) = d["interfaces"] ?? .null, l.indices.contains(i) else {
            return nil
        }
        device = .null
        d["interfaces"] = .null
        l[i] = value
        d["interfaces"] = .list(l)
        device = .map(d)
        let old = infos
        readInterfaces()
        return old
    }

    /// Sets a key of the root other than `interfaces`.
    func set(_ key: String, _ value: Value) {
        guard case .map(var d) = device else { return }
        device = .null
        d[key] = value
        device = .map(d)
    }

    /// Keeps `device.own_addrs` and `device.clock` current before a run (SIMULATION.md).
    func upkeep(now: Double) {
        if device["own_addrs"] != ownAddrs { set("own_addrs", ownAddrs) }
        if let clock = device["clock"].number, now != clockAt {
            set("clock", SimEvent.number(clock + now - clockAt))
        }
        clockAt = now
    }

    /// Whether interface `i` holds the address (`Addr.holds`); `number` is the address parsed.
    func holds(_ i: Int, _ address: String, _ number: UInt32?) -> Bool {
        if Addr.isV6(address) { return infos[i].hasV6 && Addr.holds(interfaces[i], address) }
        guard let number, number != 0 else { return false }
        return infos[i].ip == number
    }

    /// The interface a message leaves from: the one holding its source address, else `fallback`.
    func egress(for source: String?, fallback: Int) -> Int {
        if let source {
            let number = Addr.v4(source)
            if let i = infos.indices.first(where: { holds($0, source, number) }) { return i }
        }
        return fallback
    }

    /// A local port for the transport: the lowest from `nextPort` up that is not in use.
    func freePort() -> Int {
        let sessions = device["sessions"].list ?? []
        func used(_ p: Int) -> Bool {
            ownPorts[p] != nil || connections.contains { $0.localPort == p }
                || sessions.contains { $0["local_port"].int == p }
        }
        var p = nextPort
        while used(p) { p = p >= 65535 ? 1025 : p + 1 }
        return p
    }

    func claim(_ port: Int, by chart: String) {
        if ownPorts[port] == nil { ownPorts[port] = chart }
        if port == nextPort || (port > nextPort && port < 49152) { nextPort = port >= 65535 ? 1025 : port + 1 }
    }

    func connection(local: Int, peerIP: String, peerPort: Int) -> Int? {
        connections.firstIndex { $0.localPort == local && $0.peerPort == peerPort && Addr.same($0.peerIP, peerIP) }
    }

    /// Index of the session for a connection.
    func sessionIndex(local: Int, peerIP: String, peerPort: Int) -> Int? {
        (device["sessions"].list ?? []).firstIndex {
            $0["local_port"].int == local && $0["peer_port"].int == peerPort
                && ($0["peer_ip"].string.map { Addr.same($0, peerIP) } ?? false)
        }
    }

    /// Drops the sessions recorded for a connection (CONVENTIONS.md item 11).
    func dropSessions(local: Int, peerIP: String, peerPort: Int) {
        guard case .list(var l) = device["sessions"] else { return }
        l.removeAll {
            $0["local_port"].int == local && $0["peer_port"].int == peerPort
                && ($0["peer_ip"].string.map { Addr.same($0, peerIP) } ?? false)
        }
        set("sessions", .list(l))
    }
}

extension Addr {
    static func same(_ a: String, _ b: String) -> Bool { isV6(a) || isV6(b) ? sameV6(a, b) : a == b }
}

/// A timer's identity on its device: its name, and for the DHCP and DHCPv6 clients' timers the
/// interface too (`dhcp.md`).
struct TimerKey: Hashable {
    let name: String
    let iface: Int?
    init(_ name: String, iface: Int) {
        self.name = name
        self.iface = name.hasPrefix("dhcp.") || name.hasPrefix("dhcpv6.") ? iface : nil
    }
}

/// A timer armed on a device, with the binding its expiry run gets back.
struct ArmedTimer {
    let due: Double
    let value: Value
    let iface: Int
    let session: SessionKey?
    /// Distinguishes this arming from an earlier one of the same timer still in the queue.
    let generation: Int
}

/// What identifies a session record across runs: its connection, else its place and protocol.
struct SessionKey: Hashable {
    let localPort: Int?
    let peerIP: String?
    let peerPort: Int?
    let protocolName: String?
    let index: Int

    init(_ record: Value, index: Int) {
        localPort = record["local_port"].int
        peerIP = record["peer_ip"].string
        peerPort = record["peer_port"].int
        protocolName = record["protocol"].string
        self.index = index
    }

    /// Where the record is now, if it is still there.
    func find(in device: Value) -> Int? {
        let sessions = device["sessions"].list ?? []
        if let localPort {
            return sessions.firstIndex {
                $0["local_port"].int == localPort && $0["peer_port"].int == peerPort && $0["peer_ip"].string == peerIP
                    && $0["protocol"].string == protocolName
            }
        }
        guard sessions.indices.contains(index), sessions[index]["protocol"].string == protocolName,
            sessions[index]["local_port"].isNull
        else { return nil }
        return index
    }
}

/// A run suspended at a wait node.
final class Suspended {
    let machine: Machine
    let chart: String
    let iface: Int
    var session: SessionKey?
    init(machine: Machine, chart: String, iface: Int, session: SessionKey?) {
        self.machine = machine
        self.chart = chart
        self.iface = iface
        self.session = session
    }

    var wait: PendingWait? {
        if case .waiting(let w) = machine.status { return w }
        return nil
    }
}

/// A TCP connection as one end records it.
struct Connection {
    /// The local address the connection uses (nil: not known yet).
    let localIP: String?
    let localPort: Int
    let peerIP: String
    let peerPort: Int
    /// Waiting for the server's answer to `tcp.open`.
    var opening: Bool
    /// The run that opened it, told `tcp.connect` when the answer comes.
    let opener: Suspended?
    /// This end opened it (its receive chart is found by the peer's port).
    let client: Bool
    /// When `tcp.open` asked for it (a connection attempt times out 5 s later).
    var openedAt: Double = 0
}
