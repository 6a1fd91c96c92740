import FlowEngine
import FlowchartModel
import Protocols

/// Many devices on LANs, one virtual clock, the charts as the only behaviour
/// (SIMULATION.md). Deterministic: the same scenario and charts give the same event list.
public final class Simulation {
    /// Limits and tuning.
    public struct Options: Sendable {
        /// Stop time (overrides the scenario's `until`); without either, 600 s.
        public var until: Double?
        /// Deliveries and timer expiries after which a runaway scenario is stopped.
        public var deliveryBudget: Int
        /// Nodes one run may visit.
        public var stepBudget: Int
        public init(until: Double? = nil, deliveryBudget: Int = 200_000, stepBudget: Int = 100_000) {
            self.until = until
            self.deliveryBudget = deliveryBudget
            self.stepBudget = stepBudget
        }
    }

    public static let defaultUntil: Double = 600

    public let scenario: Scenario
    let options: Options
    /// The compiled charts; `willProcess` may replace them between events (`--watch`).
    public private(set) var programs: ProgramSet
    let dispatch: Dispatch
    /// Called before each event with its time; may return a fresh set of charts (pace, watch).
    public var willProcess: ((Double) -> ProgramSet?)?
    /// Called after each event is complete (streaming output).
    public var didProcess: ((SimEvent) -> Void)?

    var devices: [DeviceState] = []
    var index: [String: Int] = [:]
    /// The LANs and the addresses on them.
    var lans = LANTable()
    var env: Value
    private(set) var now: Double = 0
    public let until: Double
    public private(set) var events: [SimEvent] = []
    /// Why the simulation stopped early, if it did.
    public private(set) var stopReason: String?
    var deliveries = 0
    var dropCounts: [Int]
    var generation = 0
    /// Address conflicts reported already (each once).
    var conflicts: Set<LANTable.Spot> = []
    var queue = EventQueue<Pending>()
    /// The event being processed.
    var current: SimEvent?
    /// Runs of the current event that failed, listed as events of their own right after it.
    var failures: [SimEvent] = []
    /// The chart the dispatch table names for each kind of packet seen so far (nil: none).
    var packetCharts: [PacketKind: String?] = [:]
    /// Whether a service listens on each (transport, port) asked about so far.
    var listening: [PortKey: Bool] = [:]
    /// Signals raised by the runs of the current event, to hand out once each run has ended.
    var raised: [(device: Int, name: String, value: Value)] = []

    enum Pending {
        case command(Int)
        case link(Int)
        case deliver(Delivery)
        case timer(device: Int, key: TimerKey, generation: Int)
        case tcpTimeout(device: Int, local: Int, peerIP: String, peerPort: Int)
        case drop(Value, device: Int, from: String, reason: String)
    }

    /// A message on its way to an interface.
    struct Delivery {
        var message: Value
        let device: Int
        let iface: Int
        /// The device it comes from (the last device before it).
        let from: Int
        var routers: Int
    }

    /// Prepares a simulation; checks the chart names the scenario uses.
    public init(scenario: Scenario, programs: ProgramSet, dispatch: Dispatch, options: Options = Options())
        throws(ScenarioError)
    {
        self.scenario = scenario
        self.options = options
        self.programs = programs
        self.dispatch = dispatch
        until = options.until ?? scenario.until ?? Simulation.defaultUntil
        var e = scenario.env
        e["now"] = .int(0)
        env = .map(e)
        dropCounts = Array(repeating: 0, count: scenario.drops.count)
        for (i, d) in scenario.devices.enumerated() {
            let state = DeviceState(name: d.name, device: d.device)
            devices.append(state)
            index[d.name] = i
            lans.add(device: i, state.infos)
        }
        for c in scenario.commands {
            switch c.action {
            case .chart(let id, _, _):
                guard programs.revision(of: id) != nil else {
                    throw ScenarioError("\(c.key).chart", "no chart '\(id)' is loaded (see 'l7flow list')")
                }
            case .trigger(let p, let r, let t, _, _):
                guard let id = dispatch.chart(binding: "\(p).\(r).\(t)"), programs.revision(of: id) != nil else {
                    throw ScenarioError("\(c.key).trigger", "no chart is bound to \(p).\(r).\(t)")
                }
            case .signal: break
            }
        }
        for (i, c) in scenario.commands.enumerated() { queue.push(c.at, .command(i)) }
        for (i, l) in scenario.linkFaults.enumerated() { queue.push(l.at, .link(i)) }
    }

    /// Runs until `until`, until nothing is left to do, or until the delivery budget is spent.
    public func run() {
        checkConflicts()
        while let t = queue.nextTime {
            if t > until { break }
            if deliveries >= options.deliveryBudget {
                stopReason =
                    "stopped at \(Simulation.time(now)) s after \(deliveries) deliveries and timer expiries (the delivery budget): a broadcast storm or timers re-arming for ever? Raise it with --max-deliveries or lower --until"
                break
            }
            if let fresh = willProcess?(t) { programs = fresh }
            let (time, item) = queue.pop()!
            now = time
            setEnvNow()
            process(item)
        }
        for d in devices { d.upkeep(now: until) }
        now = max(now, until)
    }

    static func time(_ t: Double) -> String { String(format: "%.3f", t) }

    func setEnvNow() {
        guard case .map(var e) = env else { return }
        env = .null
        e["now"] = SimEvent.number(now)
        env = .map(e)
    }

    /// Every device's `device` root as it is now.
    public var deviceRoots: [(name: String, device: Value)] { devices.map { ($0.name, $0.device) } }

    /// The lines a device reported.
    public func reports(of device: String) -> [String] { index[device].map { devices[$0].reports } ?? [] }

    // MARK: Events

    func begin(_ kind: SimEvent.Kind, from: String, to: String, type: String, message: Value, reason: String? = nil) {
        current = SimEvent(
            at: now, kind: kind, from: from, to: to, type: type, message: message, reason: reason, runs: [])
    }

    func finish() {
        handOutSignals()
        if let event = current {
            current = nil
            record(event)
        }
        for failure in failures { record(failure) }
        failures = []
        checkConflicts()
    }

    func record(_ event: SimEvent) {
        events.append(event)
        didProcess?(event)
    }

    func process(_ item: Pending) {
        switch item {
        case .command(let i): command(scenario.commands[i])
        case .link(let i): link(scenario.linkFaults[i])
        case .deliver(let d): deliver(d)
        case .timer(let d, let key, let gen): expire(device: d, key: key, generation: gen)
        case .tcpTimeout(let d, let local, let ip, let port):
            tcpTimedOut(device: d, local: local, peerIP: ip, peerPort: port)
        case .drop(let message, let d, let from, let reason):
            record(
                SimEvent(
                    at: now, kind: .drop, from: from, to: devices[d].name, type: message["type"].text, message: message,
                    reason: reason, runs: []))
            if message["type"] == "TCP_OPENED", let origin = originOf(message) {
                // No answer to the connection attempt: TCP_TIMED_OUT and "refused" 5 s after tcp.open (SIMULATION.md "TCP").
                queue.push(
                    round(origin.openedAt + 5),
                    .tcpTimeout(
                        device: origin.device, local: origin.port, peerIP: message["dst_ip"].text,
                        peerPort: message["dst_port"].int ?? 0))
            }
        }
    }

    func round(_ t: Double) -> Double { (t * 1_000_000).rounded() / 1_000_000 }

    func command(_ c: Scenario.Command) {
        let d = index[c.device]!
        switch c.action {
        case .chart(let id, let event, let args):
            runCommand(c, device: d, chart: id, event: event, args: args)
        case .trigger(let p, let r, let t, let event, let args):
            runCommand(c, device: d, chart: dispatch.chart(binding: "\(p).\(r).\(t)") ?? "", event: event, args: args)
        case .signal(let name, let value):
            begin(.signal, from: c.device, to: c.device, type: name, message: value)
            raised.append((d, name, value))
            finish()
        }
    }

    func runCommand(_ c: Scenario.Command, device d: Int, chart: String, event: [String: Value], args: Value?) {
        var e = event
        e["kind"] = "command"
        if e["name"] == nil { e["name"] = .string(chart) }
        begin(.command, from: c.device, to: c.device, type: chart, message: .map(e))
        guard programs.revision(of: chart) != nil else {
            current?.reason = "no chart '\(chart)' is loaded"
            return finish()
        }
        start(chart: chart, device: d, iface: c.iface, packet: nil, event: .map(e), args: args, session: nil)
        finish()
    }

    func link(_ l: Scenario.LinkFault) {
        let dev = devices[index[l.device]!]
        var iface = dev.iface(l.iface)
        if case .map(var m) = iface {
            m["up"] = .bool(l.up)
            iface = .map(m)
        }
        if let old = dev.setIface(l.iface, iface) { lans.update(device: index[l.device]!, old: old, new: dev.infos) }
        record(
            SimEvent(
                at: now, kind: .command, from: l.device, to: l.device, type: "link \(l.up ? "up" : "down")",
                message: .map(["iface": iface["name"], "up": .bool(l.up)]), reason: nil, runs: []))
    }

    /// Reports each address held by two interfaces of one LAN, once (Packet Tracer's warning):
    /// the addresses taken since the last look, by LAN name, each naming its first two holders.
    func checkConflicts() {
        for c in lans.takeConflicts() where conflicts.insert(LANTable.Spot(lan: c.lan, ip: c.ip)).inserted {
            let lan = lans.names[c.lan]
            let ip = IPv4.format(c.ip)
            let other = "\(devices[c.first.device].name) \(devices[c.first.device].iface(c.first.iface)["name"].text)"
            let dev = devices[c.second.device]
            let who = "\(dev.name) \(dev.iface(c.second.iface)["name"].text)"
            record(
                SimEvent(
                    at: now, kind: .warning, from: dev.name, to: dev.name, type: "IP conflict",
                    message: .map([
                        "lan": .string(lan), "ip": .string(ip), "interfaces": [.string(other), .string(who)],
                    ]),
                    reason: "IP address \(ip) is used by \(other) and \(who) on LAN \(lan)", runs: []))
        }
    }

    // MARK: Timers

    func expire(device d: Int, key: TimerKey, generation gen: Int) {
        let dev = devices[d]
        guard let timer = dev.timers[key], timer.generation == gen else { return }
        dev.timers.removeValue(forKey: key)
        // Expiries count against the budget too, so timers re-arming at one instant cannot run for ever.
        deliveries += 1
        begin(.timer, from: dev.name, to: dev.name, type: key.name, message: timer.value)
        if let s = dev.waiting.first(where: {
            $0.wait?.timer == key.name && (key.iface == nil || key.iface == $0.iface)
        }) {
            resume(s, device: d, wake: .timer(key.name))
        } else if let (_, chart) = dispatch.forName(.timer, key.name), let chart, programs.revision(of: chart) != nil {
            let event: Value = .map(["kind": "timer", "name": .string(key.name), "value": timer.value])
            let session = timer.session.flatMap { $0.find(in: dev.device) }
            start(
                chart: chart, device: d, iface: timer.iface, packet: nil, event: event, args: nil,
                session: .some(session))
        } else {
            current?.reason = "no chart is triggered by this timer"
        }
        finish()
    }

    func arm(device d: Int, name: String, seconds: Double, value: Value, iface: Int, session: SessionKey?) {
        generation += 1
        let key = TimerKey(name, iface: iface)
        let due = round(now + seconds)
        devices[d].timers[key] = ArmedTimer(
            due: due, value: value, iface: iface, session: session, generation: generation)
        queue.push(due, .timer(device: d, key: key, generation: generation))
    }

    // MARK: Signals

    /// Wakes the waits of each raised signal on its device, in order; a `terminal.line` or a
    /// phone's key that no wait takes goes to the chart its dispatch row names.
    func handOutSignals() {
        while !raised.isEmpty {
            let (d, name, value) = raised.removeFirst()
            let dev = devices[d]
            let woken = dev.waiting.filter { s in
                guard let w = s.wait, w.signals.contains(name) else { return false }
                return w.value.map { $0.looselyEquals(value) } ?? true
            }
            for s in woken where dev.waiting.contains(where: { $0 === s }) {
                resume(s, device: d, wake: .signal(name: name, value: value, writes: []))
            }
            if woken.isEmpty, let (_, chart) = dispatch.forName(.signal, name), let chart,
                programs.revision(of: chart) != nil
            {
                let event: Value = .map(["kind": "signal", "name": .string(name), "value": value])
                start(chart: chart, device: d, iface: 0, packet: nil, event: event, args: nil, session: nil)
            }
        }
    }

    // MARK: Runs

    /// Starts a chart on a device. `session`: nil binds by the packet (item 11); `.some(i)` binds
    /// that entry of `device.sessions` (or none).
    func start(
        chart: String, device d: Int, iface: Int, packet: Value?, event: Value?, args: Value?, session: Int??,
        tcpOpened: Bool = false
    ) {
        let dev = devices[d]
        dev.upkeep(now: now)
        // `env` and `iface` are pushed by `execute`, as before every stretch of a run; `device` is
        // needed now, to bind the packet's session.
        var context: [String: Value] = ["device": dev.device]
        if let packet { context["packet"] = packet }
        if let event { context["event"] = event }
        if let args { context["args"] = args }
        let machine: Machine
        do {
            machine = try Machine(
                programs: programs, chart: chart, context: context,
                options: MachineOptions(stepBudget: options.stepBudget), traced: true)
        } catch {
            return failed(error, chart: chart, device: d, path: [])
        }
        if case .some(let index) = session { machine.sessionIndex = index }
        execute(machine, chart: chart, device: d, iface: iface, suspended: nil, tcpOpened: tcpOpened) {
            m throws(RunError) in try m.start()
        }
    }

    func resume(_ s: Suspended, device d: Int, wake: Wake) {
        let dev = devices[d]
        dev.upkeep(now: now)
        if let key = s.session { s.machine.sessionIndex = key.find(in: dev.device) }
        // A wait woken on yes disarms its own timer (CONVENTIONS.md item 6); the callers offer only what it waits for.
        if let timer = s.wait?.timer, !wake.isTimer { dev.timers.removeValue(forKey: TimerKey(timer, iface: s.iface)) }
        execute(s.machine, chart: s.chart, device: d, iface: s.iface, suspended: s) { m throws(RunError) in
            _ = try m.resume(wake)
        }
    }

    func failed(_ error: RunError, chart: String, device d: Int, path: [String]) {
        let record = RunRecord(
            flowchart: chart, revision: programs.revision(of: chart) ?? 0, path: path, end: nil, waiting: nil,
            error: error, reports: [], sent: [])
        current?.runs.append(record)
        failures.append(
            SimEvent(
                at: now, kind: .error, from: devices[d].name, to: devices[d].name,
                type: error.chart.isEmpty ? chart : error.chart,
                message: .map([
                    "chart": .string(error.chart), "node": error.node.map(Value.string) ?? .null,
                    "message": .string(error.message),
                ]),
                reason: "\(error)", runs: []))
    }

    /// What a run asked the transport to do, in order.
    enum Outgoing {
        case message(Value)
        case open(ip: String, port: Int, local: Int)
        case close(TCPEndpoint, reset: Bool)
    }

    /// Runs one stretch of a machine: pushes the shared roots in, runs, takes them back, applies
    /// its effects in the order they happened, and records the run.
    func execute(
        _ machine: Machine, chart: String, device d: Int, iface: Int, suspended: Suspended?, tcpOpened: Bool = false,
        _ body: (Machine) throws(RunError) -> Void
    ) {
        let dev = devices[d]
        let pushedIface = dev.iface(iface)
        machine.replaceRoot(.env, with: env)
        machine.replaceRoot(.device, with: dev.device)
        machine.replaceRoot(.iface, with: pushedIface)
        var fresh: Int?
        if machine.transportPort == nil {
            fresh = dev.freePort()
            machine.transportPort = fresh
        }
        let stepsBefore = machine.steps.count
        let sentBefore = machine.sent.count
        do {
            try body(machine)
        } catch {
            dev.waiting.removeAll { $0 === suspended }
            let path = machine.steps[stepsBefore...].map { $0.pathEntry(top: chart) }
            return failed(error, chart: chart, device: d, path: path)
        }
        let revision = programs.revision(of: chart) ?? 0
        if let old = dev.replace(machine.root(.device)) { lans.update(device: d, old: old, new: dev.infos) }
        let newIface = machine.root(.iface)
        if newIface != pushedIface, let old = dev.setIface(iface, newIface) {
            lans.update(device: d, old: old, new: dev.infos)
        }
        env = machine.root(.env)

        var outgoing: [Outgoing] = []
        var reports: [String] = []
        var sent: [Value] = []
        var sentIndex = sentBefore
        let steps = machine.steps[stepsBefore...]
        var sessionKey = machine.sessionIndex.map { SessionKey(machine.sessionRecord, index: $0) }
        var portUsed = false
        for step in steps {
            for effect in step.effects {
                if effect["send"].string != nil, sentIndex < machine.sent.count {
                    let message = machine.sent[sentIndex].fields
                    sentIndex += 1
                    sent.append(message)
                    outgoing.append(.message(message))
                    if let fresh, message["src_port"].int == fresh { portUsed = true }
                    if let port = message["src_port"].int, port != fresh,
                        !listens(transport: message["transport"].string ?? "udp", port: port)
                    {
                        // A port of the device's own request (a resolver's, a TFTP transfer's): answers to it are the peer side.
                        dev.claim(port, by: step.flowchart)
                    }
                } else if let name = effect["start_timer"].string {
                    arm(
                        device: d, name: name, seconds: effect["seconds"].number ?? 0,
                        value: machine.armedTimerValue(name) ?? .null,
                        iface: iface, session: sessionKey)
                } else if let name = effect["cancel_timer"].string {
                    dev.timers.removeValue(forKey: TimerKey(name, iface: iface))
                } else if let name = effect["signal"].string {
                    raised.append((d, name, effect["value"]))
                } else if let text = effect["report"].string {
                    reports.append(text)
                    dev.reports.append(text)
                } else if let what = effect["tcp"].string {
                    let conn = machine.currentConnection
                    switch what {
                    case "open":
                        if let conn {
                            outgoing.append(.open(ip: conn.peerIP, port: conn.peerPort, local: conn.localPort))
                            portUsed = portUsed || conn.localPort == fresh
                        }
                    case "close", "reset":
                        if let conn { outgoing.append(.close(conn, reset: what == "reset")) }
                    default: break
                    }
                }
            }
        }
        if let fresh {
            if portUsed {
                dev.claim(fresh, by: steps.first(where: { !$0.effects.isEmpty })?.flowchart ?? chart)
            } else {
                machine.transportPort = nil
            }
        }
        // The engine adds the connection to a session the run opened before its tcp.open.
        if let i = machine.sessionIndex, let conn = machine.currentConnection,
            machine.sessionRecord["local_port"].isNull,
            case .list(var sessions) = dev.device["sessions"], sessions.indices.contains(i),
            case .map(var s) = sessions[i]
        {
            s["local_port"] = .int(conn.localPort)
            s["peer_ip"] = .string(conn.peerIP)
            s["peer_port"] = .int(conn.peerPort)
            sessions[i] = .map(s)
            dev.set("sessions", .list(sessions))
            sessionKey = SessionKey(.map(s), index: i)
        }

        var end: EndInfo?
        var waitingAt: String?
        switch machine.status {
        case .waiting(let w):
            waitingAt = w.node
            if let suspended {
                suspended.session = sessionKey
                dev.waiting.removeAll { $0 === suspended }
                dev.waiting.append(suspended)
            } else {
                dev.waiting.append(Suspended(machine: machine, chart: chart, iface: iface, session: sessionKey))
            }
        case .ended(let e):
            end = e
            dev.waiting.removeAll { $0 === suspended }
        case .ready, .running:
            break
        }
        var path = steps.map { $0.pathEntry(top: chart) }
        if let waitingAt { path.append(waitingAt) }
        current?.runs.append(
            RunRecord(
                flowchart: chart, revision: revision, path: path, end: end, waiting: waitingAt, error: nil,
                reports: reports, sent: sent))
        if tcpOpened {
            pendingOpened = (d, outgoing)
        } else {
            flush(outgoing, device: d, iface: iface, chart: chart, opener: suspendedFor(machine, d))
        }
    }

    /// The server's run on a `TCP_OPENED`: its effects wait for the notice to the client.
    var pendingOpened: (Int, [Outgoing])?

    func suspendedFor(_ machine: Machine, _ d: Int) -> Suspended? {
        devices[d].waiting.first { $0.machine === machine }
    }
}

extension Wake {
    var isTimer: Bool {
        if case .timer = self { return true }
        return false
    }
}
