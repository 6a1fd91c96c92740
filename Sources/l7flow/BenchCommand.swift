import ArgumentParser
import FlowEngine
import FlowStore
import FlowchartModel
import Foundation
import Protocols

/// `l7flow bench`: times runs of one chart (and the charts it calls) on one context, with the
/// trace off and on, so that whoever edits a chart sees what the edit costs.
struct Bench: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time runs of one chart against a context, with the trace off and on.",
        discussion: """
            The chart and the charts it calls are compiled once; each run then starts from the same context, as
            'l7flow run' does, without printing. Reports the time per run, the decisions per run and per second.
            For the engine's own benchmarks see Benchmarks/ in the source tree.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var id: String
    @Option(
        help: ArgumentHelp("The starting context as JSON (as for 'run'); - reads standard input.", valueName: "file"),
        completion: .file(extensions: ["json"]))
    var context: String
    @Option(
        help: ArgumentHelp(
            "Timed signals, packets and timer expiries as a JSON array (as for 'run').", valueName: "file"),
        completion: .file(extensions: ["json"]))
    var events: String?
    @Option(help: "Runs to time in each mode.") var iterations = 10_000

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        let contextValue = try readJSONFile(context, what: "context")
        let scheduled: [ScheduledEvent]
        do {
            scheduled = try events.map { try ScheduledEvent.list(from: readJSONFile($0, what: "events")) } ?? []
        } catch let e as RunError {
            throw Failure(e)
        }
        let db = try openStore(global, verify: false)
        let closure = try store { () throws(StoreError) in try db.loadClosure(of: id) }
        guard !closure.isEmpty else { throw Failure.noChart(id, in: global.databasePath) }
        let programs = try compileClosure(closure, for: "time \(id)")
        func once(traced: Bool) throws(Failure) -> RunReport {
            do {
                return try Runner.run(
                    programs: programs, chart: id, context: contextValue, events: scheduled, traced: traced)
            } catch {
                throw Failure(error)
            }
        }
        // A traced run first: it checks that the run works and counts what it visits.
        let sample = try once(traced: true)
        let decisions = sample.steps.filter { $0.kind == .decision }.count
        var timings: [(mode: String, seconds: Double)] = []
        for traced in [false, true] {
            _ = try once(traced: traced)
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<iterations { _ = try once(traced: traced) }
            let elapsed = clock.now - start
            timings.append(
                (
                    traced ? "trace on" : "trace off",
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                ))
        }
        let end: (text: String, json: Value)
        switch sample.status {
        case .ended(let info):
            end = (
                "\(info.node) (\(info.outcome.rawValue))",
                .map(["node": .string(info.node), "outcome": .string(info.outcome.rawValue)])
            )
        case .waiting(let wait): end = ("none, waiting at \(wait.node)", .null)
        case .ready, .running: end = ("none", .null)
        }
        let revision = programs.revision(of: id) ?? 0
        let modes: [Value] = timings.map { t in
            let perRun = t.seconds / Double(iterations)
            return .map([
                "mode": .string(t.mode), "seconds_per_run": .double(perRun), "runs_per_second": .double(1 / perRun),
                "decisions_per_second": .double(Double(decisions) / perRun),
            ])
        }
        var text =
            "\(id) revision \(revision): \(iterations) runs per mode, \(sample.steps.count) nodes and \(decisions) decisions per run, end \(end.text)\n"
        for t in timings {
            let perRun = t.seconds / Double(iterations)
            let rate = decisions > 0 ? ", \(Bench.format(Double(decisions) / perRun)) decisions/s" : ""
            text +=
                "\(t.mode.padding(toLength: 9, withPad: " ", startingAt: 0))  \(Bench.duration(perRun)) per run, \(Bench.format(1 / perRun)) runs/s\(rate)\n"
        }
        Output.emit(
            global,
            json: .map([
                "flowchart": .string(id), "revision": .int(revision), "iterations": .int(iterations),
                "steps_per_run": .int(sample.steps.count), "decisions_per_run": .int(decisions), "end": end.json,
                "modes": .list(modes),
            ]), text: text)
    }

    /// A time in the unit that shows it best.
    static func duration(_ seconds: Double) -> String {
        if seconds < 1e-6 { return String(format: "%.0f ns", seconds * 1e9) }
        if seconds < 1e-3 { return String(format: "%.2f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }

    /// A rate with a K or M suffix.
    static func format(_ rate: Double) -> String {
        if rate >= 1e6 { return String(format: "%.2f M", rate / 1e6) }
        if rate >= 1e3 { return String(format: "%.1f K", rate / 1e3) }
        return String(format: "%.0f", rate)
    }
}
