import FlowEngine
import FlowchartModel
import Protocols

/// One input the fuzzer makes, of one of five kinds.
public enum FuzzInput: Sendable {
    /// A golden case's chart run against a mutated context.
    case context(chart: String, context: Value, events: Value)
    /// A golden case's chart and context with mutated events.
    case events(chart: String, context: Value, events: Value)
    /// Mutated chart text: parsed, validated, compiled with the bundled charts and run.
    case chartText(String, context: Value)
    /// Mutated JSON text: parsed, written back and read again.
    case jsonText(String)
    /// A mutated context path: parsed, written back and read again.
    case pathText(String)

    /// The kind's name, for the report.
    public var kind: String {
        switch self {
        case .context: "context"
        case .events: "events"
        case .chartText: "chart text"
        case .jsonText: "JSON text"
        case .pathText: "path text"
        }
    }

    /// Makes input number `index` of a run seeded with `seed`.
    public static func make(seed: UInt64, index: Int, corpus: FuzzCorpus) -> FuzzInput {
        var rng = SeededGenerator(seed: seed, index: index)
        let run = corpus.runs.randomElement(using: &rng)!
        let paths = corpus.charts.first { $0.chart.id == run.chart }?.paths ?? []
        switch Int.random(in: 0..<20, using: &rng) {
        case 0..<9:
            return .context(
                chart: run.chart, context: ValueMutator.mutate(run.context, paths: paths, using: &rng),
                events: run.events)
        case 9..<12:
            return .events(chart: run.chart, context: run.context, events: mutateEvents(run.events, using: &rng))
        case 12..<16:
            let seedChart = corpus.charts.randomElement(using: &rng)!
            let context = corpus.runsByChart[seedChart.chart.id]?.randomElement(using: &rng)?.context ?? .map([:])
            return .chartText(TextMutator.mutate(seedChart.text, using: &rng), context: context)
        case 16..<19:
            let source = rng.chance(1, in: 2) ? run.context : run.events
            return .jsonText(TextMutator.mutate(JSON.encode(source, pretty: rng.chance(1, in: 2)), using: &rng))
        default:
            let path = paths.randomElement(using: &rng)?.description ?? "device.x"
            return .pathText(TextMutator.mutate(path, using: &rng))
        }
    }

    /// Events with fields of the wrong type, at limits, or with enormous `writes` paths.
    static func mutateEvents(_ events: Value, using rng: inout SeededGenerator) -> Value {
        var items = events.list ?? []
        if items.isEmpty || rng.chance(1, in: 3) {
            var event: [String: Value] = ["at": .int(Int.random(in: 0...100, using: &rng))]
            event["kind"] = ["signal", "timer", "packet", "nonsense", 1].randomElement(using: &rng)!
            event["name"] = ValueMutator.strings.randomElement(using: &rng)!
            event["value"] = ValueMutator.interesting(like: .null, using: &rng)
            event["packet"] = .map([
                "type": "DHCPOFFER", "src_ip": "1.2.3.4", "src_port": 67, "chaddr": "zz:zz:zz:zz:zz:zz",
            ])
            if rng.chance(1, in: 3) {
                let path = "local" + String(repeating: ".a", count: [3, 300, 25_000].randomElement(using: &rng)!)
                event["writes"] = .map([path: 1])
            }
            items.insert(.map(event), at: Int.random(in: 0...items.count, using: &rng))
        }
        let i = Int.random(in: 0..<items.count, using: &rng)
        let field = ["at", "kind", "name", "value", "packet", "writes", "extra"].randomElement(using: &rng)!
        items[i] = ValueMutator.replacing(items[i], at: [field][...]) { old in
            field == "at" && rng.chance(1, in: 3)
                ? ["1", -1, 1e300, .double(.nan), .double(.infinity)].randomElement(using: &rng)!
                : ValueMutator.interesting(like: old, using: &rng)
        }
        return .list(items)
    }

    /// Runs the input in this process. Throwing is the expected answer to bad input; the result
    /// says how it ended, or which property of the engine it broke.
    func execute(corpus: FuzzCorpus, options: MachineOptions) -> FuzzOutcome {
        switch self {
        case .context(let chart, let context, let events), .events(let chart, let context, let events):
            do {
                let scheduled = try ScheduledEvent.list(from: events)
                let report = try Runner.run(
                    programs: corpus.programs, chart: chart, context: context, events: scheduled, options: options)
                return FuzzInput.checkReport(report)
            } catch {
                return .refused
            }
        case .chartText(let text, let context):
            let chart: Chart
            do { chart = try ChartText.parse(text, source: "fuzz") } catch { return .refused }
            let compiler = Compiler(registry: Registry.l7flow)
            let programs: ProgramSet
            do {
                if corpus.programs.chartIDs.contains(chart.id) {
                    let all = corpus.charts.map { $0.chart.id == chart.id ? chart : $0.chart }
                    programs = try compiler.recompile(corpus.programs, changed: [Compiler.Input(chart)], all: all)
                } else {
                    programs = try compiler.compile([Compiler.Input(chart)])
                }
            } catch {
                return .refused
            }
            do {
                return FuzzInput.checkReport(
                    try Runner.run(programs: programs, chart: chart.id, context: context, options: options))
            } catch {
                return .refused
            }
        case .jsonText(let text):
            let value: Value
            do { value = try JSON.parse(text) } catch { return .refused }
            for pretty in [false, true] {
                let written = JSON.encode(value, pretty: pretty)
                guard let again = try? JSON.parse(written), again.looselyEquals(value) else {
                    return .violation("JSON written back does not read as the same value: \(written.prefix(200))")
                }
            }
            return .accepted
        case .pathText(let text):
            let path: Path
            do { path = try Path.parse(text) } catch { return .refused }
            guard let again = try? Path.parse(path.description), again == path else {
                return .violation("the path \(path.description.prefix(200)) does not read back as itself")
            }
            return .accepted
        }
    }

    /// The trace of a finished run must be writable as JSON that reads back.
    static func checkReport(_ report: RunReport) -> FuzzOutcome {
        let text = JSON.encode(report.json)
        guard (try? JSON.parse(text)) != nil else {
            return .violation("the trace of \(report.chart) is not readable JSON")
        }
        return .accepted
    }
}

/// How one input ended.
public enum FuzzOutcome: Sendable, Equatable {
    /// It ran (or parsed) to the end.
    case accepted
    /// It was refused with an error, as bad input should be.
    case refused
    /// It broke a property the engine promises (the message says which).
    case violation(String)
}

extension FuzzInput: CustomStringConvertible {
    /// The whole input, to reproduce it by hand.
    public var description: String {
        switch self {
        case .context(let chart, let context, let events), .events(let chart, let context, let events):
            "\(kind) input for \(chart)\ncontext: \(JSON.encode(context))\nevents: \(JSON.encode(events))"
        case .chartText(let text, let context): "chart text input\n\(text)\ncontext: \(JSON.encode(context))"
        case .jsonText(let text): "JSON text input\n\(text)"
        case .pathText(let text): "path text input\n\(text)"
        }
    }
}
