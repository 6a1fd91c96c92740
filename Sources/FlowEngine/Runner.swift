import FlowchartModel

/// A signal, packet or timer expiry scheduled for a run (`run --events`).
public struct ScheduledEvent: Sendable {
    /// Seconds after the run starts.
    public let at: Double
    public let wake: Wake

    public init(at: Double, wake: Wake) {
        self.at = at
        self.wake = wake
    }

    /// Reads the events file form: `[{"at", "kind": "signal"|"timer"|"packet", "name", "value", "packet", "writes"}]`.
    public static func list(from value: Value) throws(RunError) -> [ScheduledEvent] {
        guard case .list(let items) = value else {
            throw RunError(chart: "", node: nil, "events: expected a JSON array of events")
        }
        var out: [ScheduledEvent] = []
        for (i, item) in items.enumerated() {
            func fail(_ m: String) -> RunError { RunError(chart: "", node: nil, "events: event \(i + 1): \(m)") }
            guard case .map(let e) = item else { throw fail("expected an object") }
            for key in e.keys where !["at", "kind", "name", "value", "packet", "writes"].contains(key) {
                throw fail("unknown key '\(key)' (expected at, kind, name, value, packet, writes)")
            }
            let at: Double
            switch e["at"] ?? .null {
            case .null: at = 0
            case let given:
                guard let seconds = given.number else {
                    throw fail("'at' must be a number of seconds, not the \(given.typeName) \(JSON.encode(given))")
                }
                at = seconds
            }
            guard at >= 0 else { throw fail("'at' must not be negative") }
            if let name = e["name"], !name.isNull, name.string == nil {
                throw fail("'name' must be a string, not the \(name.typeName) \(JSON.encode(name))")
            }
            guard let kind = e["kind"] else { throw fail("'kind' must be \"signal\", \"packet\" or \"timer\"") }
            let wake: Wake
            switch kind.string {
            case "signal":
                guard let name = e["name"]?.string else { throw fail("a signal needs a 'name'") }
                var writes: [(String, Value)] = []
                if let w = e["writes"], !w.isNull {
                    guard case .map(let m) = w else { throw fail("'writes' must map paths to values") }
                    for key in m.keys.sorted() {
                        do { _ = try ContextPath(Path.parse(key)) } catch {
                            throw fail("'writes' has the bad path '\(key)': \(error)")
                        }
                        writes.append((key, m[key]!))
                    }
                }
                wake = .signal(name: name, value: e["value"] ?? .null, writes: writes)
            case "packet":
                guard case .map? = e["packet"] else { throw fail("a packet event needs a 'packet' object") }
                wake = .packet(e["packet"]!)
            case "timer":
                guard let name = e["name"]?.string else { throw fail("a timer event needs a 'name'") }
                wake = .timer(name)
            default:
                throw fail("'kind' must be \"signal\", \"packet\" or \"timer\", not \(JSON.encode(kind))")
            }
            out.append(ScheduledEvent(at: at, wake: wake))
        }
        return out
    }
}

/// Runs a chart with scheduled events and the run's own timers on a virtual clock, as
/// `l7flow run` does: while the run waits, the earliest of the next event and the next armed
/// timer happens (an event first when both are due at once).
public enum Runner {
    /// Checks that a context holds only the roots of the conventions, each a map (or null).
    public static func validateContext(_ context: Value) throws(RunError) -> [String: Value] {
        guard case .map(let roots) = context else {
            throw RunError(
                chart: "", node: nil,
                "context: expected a JSON object with the roots \(Path.roots.joined(separator: ", "))")
        }
        for (key, value) in roots {
            guard Path.roots.contains(key) else {
                throw RunError(
                    chart: "", node: nil,
                    "context: unknown root '\(key)' (expected \(Path.roots.joined(separator: ", ")))")
            }
            switch value {
            case .map, .null: break
            default:
                throw RunError(
                    chart: "", node: nil, "context: the root '\(key)' must be an object, not a \(value.typeName)")
            }
            let depth = value.nestingDepth(limit: Run.maxValueDepth)
            guard depth <= Run.maxValueDepth else {
                throw RunError(
                    chart: "", node: nil, "context: the root '\(key)' nests more than \(Run.maxValueDepth) levels deep")
            }
        }
        if let now = roots["env"]?["now"], !now.isNull, now.number == nil {
            throw RunError(chart: "", node: nil, "context: env.now must be a number of seconds")
        }
        return roots
    }

    /// Runs `chart` to its end, or until it waits for something that never comes.
    public static func run(
        programs: ProgramSet, chart: String, context: Value, events: [ScheduledEvent] = [],
        options: MachineOptions = MachineOptions(), traced: Bool = true
    ) throws(RunError) -> RunReport {
        let attempt = try attempt(
            programs: programs, chart: chart, context: context, events: events, options: options, traced: traced)
        if let failure = attempt.failure { throw failure }
        return attempt.report
    }

    /// Runs `chart` as `run` does, but a run that fails once started (a primitive's error, the
    /// step budget) still hands back what it did up to the failure, so a loop can be read.
    /// Throws only when the run cannot start (a bad context, an unknown chart).
    public static func attempt(
        programs: ProgramSet, chart: String, context: Value, events: [ScheduledEvent] = [],
        options: MachineOptions = MachineOptions(),
        traced: Bool = true
    ) throws(RunError) -> (report: RunReport, failure: RunError?) {
        let roots = try validateContext(context)
        let machine = try Machine(programs: programs, chart: chart, context: roots, options: options, traced: traced)
        let start = machine.now
        var pending = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(
            \.element)[...]
        var ignored: [String] = []
        do {
            try machine.start()
            while case .waiting = machine.status {
                let timer = machine.nextTimer
                if let event = pending.first, timer == nil || start + event.at <= timer!.due {
                    pending.removeFirst()
                    machine.setNow(max(machine.now, start + event.at))
                    if !(try machine.resume(event.wake)) {
                        ignored.append(
                            "\(event.wake) at \(Value.double(event.at).text): the run was not waiting for it")
                    }
                } else if let timer {
                    machine.setNow(max(machine.now, timer.due))
                    if !(try machine.expire(timer.name)) {
                        ignored.append("timer \(timer.name) expired; no wait of this run names it")
                    }
                } else {
                    break
                }
            }
        } catch {
            return (
                RunReport(
                    chart: chart, revision: programs.revision(of: chart) ?? 0, machine: machine, ignored: ignored),
                error
            )
        }
        for event in pending { ignored.append("\(event.wake) at \(Value.double(event.at).text): the run had ended") }
        return (
            RunReport(chart: chart, revision: programs.revision(of: chart) ?? 0, machine: machine, ignored: ignored),
            nil
        )
    }
}

/// Everything a run did, ready to print as JSON (the trace contract) or text.
public struct RunReport: Sendable {
    public let chart: String
    public let revision: Int
    public let status: MachineStatus
    public let returnValue: Value
    public let steps: [TraceStep]
    public let sent: [SentMessage]
    public let reports: [String]
    public let logs: [String]
    public let signals: [Signal]
    public let timersStarted: [(name: String, seconds: Double)]
    public let timersCancelled: [String]
    public let context: [String: Value]
    /// Events and timers that reached no wait.
    public let ignored: [String]

    init(chart: String, revision: Int, machine: Machine, ignored: [String]) {
        self.chart = chart
        self.revision = revision
        status = machine.status
        returnValue = machine.returnValue
        steps = machine.steps
        sent = machine.sent
        reports = machine.reports
        logs = machine.logs
        signals = machine.signals
        timersStarted = machine.timersStarted
        timersCancelled = machine.timersCancelled
        context = machine.context
        self.ignored = ignored
    }

    /// The visited nodes in the spec's path notation (`D1:yes`, `A4`, `dns.search_recursively/D1:yes`).
    public var path: [String] { steps.map { $0.pathEntry(top: chart) } }

    /// The trace as the JSON of DESIGN.md's trace contract.
    public var json: Value {
        var out: [String: Value] = [
            "flowchart": .string(chart),
            "revision": .int(revision),
            "path": .list(path.map(Value.string)),
            "steps": .list(steps.map(RunReport.json)),
            "sent": .list(
                sent.map {
                    .map([
                        "type": .string($0.type), "to": .string($0.to), "at": Value(numeric: $0.at),
                        "fields": $0.fields,
                    ])
                }),
            "reports": .list(reports.map(Value.string)),
            "logs": .list(logs.map(Value.string)),
            "timers": .map([
                "started": .map(
                    Dictionary(timersStarted.map { ($0.name, Value(numeric: $0.seconds)) }, uniquingKeysWith: { $1 })),
                "cancelled": .list(timersCancelled.map(Value.string)),
            ]),
            "signals": .list(signals.map { .map(["name": .string($0.name), "value": $0.value]) }),
            "context": .map(context),
            "return": returnValue,
        ]
        switch status {
        case .ended(let end):
            var info: [String: Value] = ["node": .string(end.node), "outcome": .string(end.outcome.rawValue)]
            if let refusal = end.refusal { info["refused"] = .string(refusal) }
            out["end"] = .map(info)
        case .waiting(let wait):
            out["end"] = .null
            out["waiting"] = .map([
                "flowchart": .string(wait.chart), "node": .string(wait.node),
                "signals": .list(wait.signals.map(Value.string)), "packets": .list(wait.packets),
                "timer": wait.timer.map(Value.string) ?? .null,
            ])
        case .ready, .running:
            out["end"] = .null
        }
        if !ignored.isEmpty { out["ignored"] = .list(ignored.map(Value.string)) }
        return .map(out)
    }

    static func json(_ step: TraceStep) -> Value {
        var m: [String: Value] = [
            "flowchart": .string(step.flowchart), "node": .string(step.node), "kind": .string(step.kind.rawValue),
            "depth": .int(step.depth), "label": .string(step.label), "at": Value(numeric: step.at),
        ]
        if let outcome = step.outcome { m["outcome"] = .string(outcome) }
        if step.kind == .decision { m["reads"] = .map(Dictionary(step.reads, uniquingKeysWith: { a, _ in a })) }
        if step.kind == .action || (step.kind == .decision && !step.effects.isEmpty) {
            m["effects"] = .list(step.effects)
        }
        for (k, v) in step.detail { m[k] = v }
        return .map(m)
    }
}
