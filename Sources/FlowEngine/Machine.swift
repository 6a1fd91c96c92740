import FlowchartModel

/// Runs one chart against a context. The machine stops at a wait node and goes on when it is
/// resumed with a signal, a packet or the expiry of a timer; call nodes run as nested frames.
public final class Machine {
    let run: Run
    let top: Int
    public private(set) var status: MachineStatus = .ready
    /// The value handed to a caller: a `return` end's value, or `local.ret` at any other end.
    public private(set) var returnValue: Value = .null

    /// Prepares a run of `chart` with the starting context (roots by name).
    public init(
        programs: ProgramSet, chart: String, context: [String: Value], options: MachineOptions = MachineOptions(),
        traced: Bool = false
    ) throws(RunError) {
        guard let index = programs.index[chart] else {
            throw RunError(chart: chart, node: nil, "no such chart is loaded")
        }
        top = index
        run = Run(programs: programs, options: options, context: context, traced: traced)
        let program = programs.programs[index]
        // `local` and `args` are found in the same pass over the few roots given, not by hashing.
        var local: Value = .map([:])
        var given: Value?
        for (name, value) in context {
            if name == "local" { local = value } else if name == "args" { given = value }
        }
        var args = given?.map ?? [:]
        for (name, d) in program.arguments where args[name] == nil { args[name] = d ?? .null }
        run.frames.append(Run.Frame(program: index, pc: 0, local: local, args: .map(args)))
        run.bindSessionForPacket()
    }

    /// Runs from the entry node until the run ends or waits.
    @discardableResult
    public func start() throws(RunError) -> MachineStatus {
        guard case .ready = status else { return status }
        return try loop()
    }

    /// Offers a signal, packet or timer expiry to a waiting run. Returns false (and changes
    /// nothing) when the run is not waiting for it.
    public func resume(_ wake: Wake) throws(RunError) -> Bool {
        guard case .waiting(let wait) = status else { return false }
        let taken: Bool
        var bound: Value?
        switch wake {
        case .signal(let name, let value, _):
            guard wait.signals.contains(name), wait.value.map({ $0.looselyEquals(value) }) ?? true else { return false }
            taken = true
            bound = .map(["name": .string(name), "value": value])
        case .packet(let packet):
            guard wait.packets.contains(where: { Machine.matches(packet, pattern: $0) }) else { return false }
            taken = true
            bound = packet
        case .timer(let name):
            guard wait.timer == name else { return false }
            run.armed.removeValue(forKey: name)
            taken = false
        }
        let frame = run.frames.count - 1
        let node = run.programs.programs[run.frames[frame].program].nodes[run.frames[frame].pc]
        let chartID = run.programs.programs[run.frames[frame].program].chartID
        do {
            if taken {
                if case .signal(_, _, let writes) = wake {
                    for (path, value) in writes {
                        guard let loc = try run.location(ContextPath(Path.parse(path))) else { continue }
                        try run.write(loc, value)
                    }
                }
                if let timer = wait.timer { run.armed.removeValue(forKey: timer) }
                if case .wait(let spec) = node.op, let binding = spec.binding, let bound {
                    try run.store(.value(bound), at: binding)
                }
            }
        } catch let error as PrimitiveError {
            throw RunError(chart: chartID, node: node.id, error.message)
        } catch {
            throw RunError(chart: chartID, node: node.id, "\(error)")
        }
        if let trace = run.trace {
            trace.steps.append(
                TraceStep(
                    site: node.site, depth: run.depth, taken: taken, reads: [], effects: [],
                    detail: ["woken_by": .string(wake.description)], at: run.now))
        }
        run.frames[frame].pc = taken ? node.yes : node.no
        status = .running
        _ = try loop()
        return true
    }

    /// Moves the virtual clock (`env.now`); the device's own clock (`device.clock`, when it has
    /// one) runs at the same rate.
    public func setNow(_ now: Double) {
        let elapsed = now - run.now
        if case .map(var env) = run.shared[RootSlot.env.rawValue] {
            run.shared[RootSlot.env.rawValue] = .null
            env["now"] = Value(numeric: now)
            run.shared[RootSlot.env.rawValue] = .map(env)
        } else {
            run.shared[RootSlot.env.rawValue] = .map(["now": Value(numeric: now)])
        }
        if elapsed != 0, case .map(var device) = run.shared[RootSlot.device.rawValue],
            let clock = device["clock"]?.number
        {
            run.shared[RootSlot.device.rawValue] = .null
            device["clock"] = Value(numeric: clock + elapsed)
            run.shared[RootSlot.device.rawValue] = .map(device)
        }
    }

    /// `env.now`.
    public var now: Double { run.now }

    /// The armed timer due first (ties: the one armed first), if any.
    public var nextTimer: (name: String, due: Double)? {
        run.armed.values.min { ($0.due, $0.order) < ($1.due, $1.order) }.map { ($0.name, $0.due) }
    }

    /// Expires an armed timer: a wait naming it wakes on `no`; otherwise nothing in this run
    /// handles it and false is returned.
    public func expire(_ name: String) throws(RunError) -> Bool {
        guard run.armed[name] != nil else { return false }
        if case .waiting(let wait) = status, wait.timer == name { return try resume(.timer(name)) }
        run.armed.removeValue(forKey: name)
        return false
    }

    // MARK: Results

    public var sent: [SentMessage] { run.sent }
    public var reports: [String] { run.reports }
    public var logs: [String] { run.logs }
    public var signals: [Signal] { run.signals }
    public var timersStarted: [(name: String, seconds: Double)] { run.timersStarted }
    public var timersCancelled: [String] { run.timersCancelled }
    public var steps: [TraceStep] { run.trace?.steps ?? [] }
    /// Nodes visited so far.
    public var stepCount: Int { run.steps }

    /// The whole context: every root, `local` and `args` of the chart under test.
    public var context: [String: Value] {
        var out: [String: Value] = [:]
        for slot in RootSlot.allCases.prefix(RootSlot.sharedCount) { out[slot.name] = run.shared[slot.rawValue] }
        out["session"] = run.sessionValue
        out["local"] = run.frames.isEmpty ? finalLocal : run.materializedLocal(0)
        out["args"] = run.frames.isEmpty ? finalArgs : run.frames[0].args
        return out
    }
    private var finalLocal: Value = .map([:])
    private var finalArgs: Value = .map([:])

    // MARK: The loop

    private func loop() throws(RunError) -> MachineStatus {
        status = .running
        let programs = run.programs.programs
        let budget = run.options.stepBudget
        let traced = run.trace != nil
        while true {
            let f = run.frames.count - 1
            let programIndex = run.frames[f].program
            let program = programs[programIndex]
            let pc = run.frames[f].pc
            let node = program.nodes[pc]
            run.steps += 1
            if run.steps > budget {
                throw RunError(
                    chart: program.chartID, node: node.id,
                    "the run visited \(budget) nodes without ending; it seems to loop (raise the budget with --max-steps)"
                )
            }
            do {
                switch node.op {
                case .decision(let call):
                    if traced {
                        run.reads = []
                        // What the predicate's `as` stores is shown under the decision.
                        run.effects = []
                    }
                    let outcome = try run.test(call)
                    if traced { record(node, taken: outcome) }
                    run.frames[f].pc = outcome ? node.yes : node.no

                case .action(let calls):
                    if traced { run.effects = [] }
                    for call in calls { try run.invoke(call) }
                    if traced { record(node) }
                    run.frames[f].pc = node.next

                case .call(let callee, let arguments, _, _):
                    guard run.frames.count < run.options.maxDepth else {
                        throw RunError(
                            chart: program.chartID, node: node.id,
                            "calls nest deeper than \(run.options.maxDepth) levels (calling \(programs[callee].chartID))"
                        )
                    }
                    var args: [String: Value] = [:]
                    for (name, d) in programs[callee].arguments { args[name] = d ?? .null }
                    for (name, e) in arguments { args[name] = try run.evaluate(e) }
                    var callStep: Int?
                    if let trace = run.trace {
                        callStep = trace.steps.count
                        record(node, detail: ["callee": .string(programs[callee].chartID), "args": .map(args)])
                    }
                    run.frames.append(
                        Run.Frame(program: callee, pc: 0, local: .map([:]), args: .map(args), callStep: callStep))

                case .wait(let spec):
                    status = .waiting(try pending(spec, node: node, chart: program.chartID))
                    return status

                case .end(let outcome, let valueExpr):
                    let value =
                        try valueExpr.map { e throws(PrimitiveError) in try run.evaluate(e) }
                        ?? run.materializedLocal(f)["ret"]
                    if traced { record(node, detail: ["end": .string(outcome.rawValue)]) }
                    if f == 0 {
                        finalLocal = run.materializedLocal(0)
                        finalArgs = run.frames[0].args
                        run.frames.removeAll()
                        returnValue = value
                        status = .ended(EndInfo(node: node.id, outcome: outcome, value: value, refusal: nil))
                        return status
                    }
                    let finished = run.frames.removeLast()
                    let caller = programs[run.frames[f - 1].program]
                    let callNode = caller.nodes[run.frames[f - 1].pc]
                    guard case .call(_, _, let resultPath, let branches) = callNode.op else { break }
                    do {
                        try run.store(.value(value), at: resultPath)
                    } catch {
                        throw RunError(chart: caller.chartID, node: callNode.id, error.message)
                    }
                    if let i = finished.callStep, let trace = run.trace {
                        trace.steps[i].detail["end"] = .string(outcome.rawValue)
                        trace.steps[i].detail["returned"] = value
                    }
                    run.frames[f - 1].pc = branches ? (outcome == .ok ? callNode.yes : callNode.no) : callNode.next
                }
            } catch let error as PrimitiveError {
                if error.isMalformedInput, case .map = run.shared[RootSlot.packet.rawValue] {
                    return drop(node, refusal: error.message)
                }
                throw RunError(chart: program.chartID, node: node.id, error.message)
            } catch let error as RunError {
                throw error
            } catch {
                throw RunError(chart: program.chartID, node: node.id, "\(error)")
            }
        }
    }

    /// Ends a packet's run at `node`, which refused a malformed value in it: the packet is dropped.
    private func drop(_ node: CNode, refusal: String) -> MachineStatus {
        if run.trace != nil {
            record(node, detail: ["end": .string(EndOutcome.dropped.rawValue), "refused": .string(refusal)])
        }
        finalLocal = run.materializedLocal(0)
        finalArgs = run.frames[0].args
        run.frames.removeAll()
        returnValue = .null
        status = .ended(EndInfo(node: node.id, outcome: .dropped, value: .null, refusal: refusal))
        return status
    }

    private func record(_ node: CNode, taken: Bool? = nil, detail: [String: Value] = [:]) {
        guard let trace = run.trace else { return }
        let reads = Machine.firstReads(run.reads ?? [])
        trace.steps.append(
            TraceStep(
                site: node.site, depth: run.depth, taken: taken, reads: reads, effects: run.effects ?? [],
                detail: detail, at: run.now))
        run.reads = nil
        run.effects = nil
    }

    /// Each path's first reading, in order: the list itself when no path was read twice (the
    /// usual case); paths are compared one with another for a few reads, through a set for many.
    static func firstReads(_ reads: [(String, Value)]) -> [(String, Value)] {
        guard reads.count > 1 else { return reads }
        if reads.count <= 8 {
            let repeated = reads.indices.dropFirst().contains { i in reads[..<i].contains { $0.0 == reads[i].0 } }
            guard repeated else { return reads }
            var out: [(String, Value)] = []
            for read in reads where !out.contains(where: { $0.0 == read.0 }) { out.append(read) }
            return out
        }
        var seen = Set<String>(minimumCapacity: reads.count)
        return reads.filter { seen.insert($0.0).inserted }
    }

    private func pending(_ spec: CWait, node: CNode, chart: String) throws(PrimitiveError) -> PendingWait {
        func names(_ e: CExpr?) throws(PrimitiveError) -> [String] {
            guard let e else { return [] }
            switch try run.evaluate(e) {
            case .string(let s): return [s]
            case .list(let l): return l.compactMap(\.string)
            case .null: return []
            case let other:
                throw PrimitiveError("a wait's signal must be a name or a list of names, not \(JSON.encode(other))")
            }
        }
        var packets: [Value] = []
        if let p = spec.packets {
            switch try run.evaluate(p) {
            case .list(let l): packets = l
            case .null: break
            case let one: packets = [one]
            }
        }
        let timer = try spec.timer.map { e throws(PrimitiveError) in try run.evaluate(e).text }
        let value = try spec.value.map { e throws(PrimitiveError) in try run.evaluate(e) }
        return PendingWait(
            chart: chart, node: node.id, signals: try names(spec.signals), value: value, packets: packets, timer: timer)
    }

    /// True when every field the pattern names has the same value in the packet (nested maps too).
    static func matches(_ packet: Value, pattern: Value) -> Bool {
        guard case .map(let p) = pattern else { return packet.looselyEquals(pattern) }
        return p.allSatisfy { key, want in
            if case .map = want { return matches(packet[key], pattern: want) }
            return packet[key].looselyEquals(want)
        }
    }
}

/// Where a machine is.
public enum MachineStatus: Sendable {
    case ready
    case running
    case waiting(PendingWait)
    case ended(EndInfo)
}

/// How a run ended.
public struct EndInfo: Sendable, Hashable {
    /// The end node reached, or the node that refused a malformed packet.
    public let node: String
    public let outcome: EndOutcome
    public let value: Value
    /// Why the packet was dropped when a primitive refused a malformed value in it (`outcome`
    /// is then `dropped` and `node` is not an end node).
    public let refusal: String?
}

/// What a suspended run waits for.
public struct PendingWait: Sendable, Hashable {
    public let chart: String
    public let node: String
    public let signals: [String]
    public let value: Value?
    public let packets: [Value]
    public let timer: String?
}

/// Something that may wake a waiting run.
public enum Wake: Sendable, CustomStringConvertible {
    /// A signal; `writes` are values the signalling chart stored before raising it (path → value).
    case signal(name: String, value: Value, writes: [(String, Value)])
    case packet(Value)
    case timer(String)

    public var description: String {
        switch self {
        case .signal(let name, _, _): "signal \(name)"
        case .packet(let p): "packet \(p["type"].text)"
        case .timer(let name): "timer \(name)"
        }
    }
}
