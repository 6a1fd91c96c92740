import ArgumentParser
import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Protocols

struct Run: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one chart against a context and print its trace.",
        discussion: """
            A run stopped by an error or by the step budget prints the trace up to that point, then the error (exit 1).
            With --check-outcome a run that ends at a 'fail' end exits 1 too. --strict names context paths the charts
            read that the context lacks, and context entries no node names (a typo), and exits 1 when there are any.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var id: String
    @Option(
        help: ArgumentHelp(
            "The starting context as JSON (roots device, iface, packet, event, session, local, args, env); - reads standard input.",
            valueName: "file"),
        completion: .file(extensions: ["json"]))
    var context: String
    @Option(
        help: ArgumentHelp("Timed signals, packets and timer expiries as a JSON array.", valueName: "file"),
        completion: .file(extensions: ["json"]))
    var events: String?
    @Option(help: "Nodes a run may visit before it is stopped as an endless loop.") var maxSteps = 100_000
    @Option(help: "How deep chart calls may nest.") var maxDepth = 64
    @Flag(help: "Exit with status 1 when the run ends at an end whose outcome is 'fail'.") var checkOutcome = false
    @Flag(
        help:
            "Warn of context paths the charts read that the context lacks, and of entries no node names; exit 1 if any."
    )
    var strict = false
    @Flag(help: "Keep running: run again after each committed change to the chart or one it calls.") var watch = false
    @Flag(help: "Keep the trace in the database (see 'l7flow traces'), for coverage and lit diagrams later.")
    var record = false
    @Option(help: "Fold long values at this many columns (default: the terminal's width, else 100).") var width: Int?
    @Flag(help: "Show every value and message field whole (long values are otherwise summarised).") var full = false
    @Option(help: .hidden) var watchLimit: Int?

    func validate() throws {
        if let width, width < 40 { throw ValidationError("--width must be at least 40 columns") }
        if watch, record { throw ValidationError("--record keeps one run; it does not go with --watch") }
    }

    func run() throws {
        let (contextValue, scheduled) = try inputs()
        if watch { return try watchLoop(contextValue, scheduled) }
        // Only the chart and the charts it calls are read; the whole file is checked only when the
        // run is kept in it (--record).
        let db = try openStore(global, verify: record)
        let closure = try store { () throws(StoreError) in try db.loadClosure(of: id) }
        guard !closure.isEmpty else { throw Failure.noChart(id, in: global.databasePath) }
        let programs = try compileClosure(closure, for: "run \(id)", draftsNote: "; it runs once it validates")
        let warnings =
            strict
            ? ContextCheck(charts: closure.map(\.chart), catalog: Registry.l7flow.catalog).warnings(for: contextValue)
            : []
        // The text of a run that sent messages shows their fields in the order a chart's literal
        // writes them: the charts of their protocols, or that write their types, are read too.
        let ran = closure.map(\.chart)
        try runAndPrint(
            programs, contextValue, scheduled,
            charts: { report in
                guard !report.sent.isEmpty else { return ran }
                let protocols = Set(report.sent.compactMap { $0.fields["protocol"].string })
                let types = Set(report.sent.map(\.type))
                let more = try store { () throws(StoreError) in
                    try db.loadCharts(protocols: protocols, writingTypes: types)
                }
                return ran + more.map(\.chart).filter { chart in !ran.contains { $0.id == chart.id } }
            }, warnings: warnings, recordIn: record ? db : nil)
    }

    /// Runs once and prints the trace; throws (after printing what it did) for a run that
    /// failed, and for a `fail` end or strict warnings when asked to.
    /// `charts(report)` gives the charts the text trace of the run needs; asked only for text.
    private func runAndPrint(
        _ programs: ProgramSet, _ contextValue: Value, _ scheduled: [ScheduledEvent],
        charts: (RunReport) throws -> [Chart], warnings: [String] = [], recordIn db: ChartStore? = nil
    ) throws {
        let attempt: (report: RunReport, failure: RunError?)
        do {
            attempt = try Runner.attempt(
                programs: programs, chart: id, context: contextValue, events: scheduled,
                options: MachineOptions(stepBudget: maxSteps, maxDepth: maxDepth))
        } catch {
            throw Failure(error)
        }
        let report = attempt.report
        if global.json {
            var trace = report.json
            if let failure = attempt.failure, case .map(var m) = trace {
                m["error"] = Failure(failure).json["error"]
                trace = .map(m)
            }
            if strict, case .map(var m) = trace {
                m["warnings"] = .list(warnings.map(Value.string))
                trace = .map(m)
            }
            Output.json(trace)
        } else {
            Output.text(
                TraceText(style: .forStandardOutput(width: width, full: full), charts: try charts(report)).render(
                    report))
            if let failure = attempt.failure { Output.line("stopped: \(failure)") }
        }
        for warning in warnings { Output.warning(warning) }
        if let db {
            let kept = try store { () throws(StoreError) in
                try db.recordTrace(
                    .init(
                        report.json, chartID: id, revision: report.revision, revisions: report.revisions(in: programs),
                        source: .run, label: context))
            }
            Output.note("recorded as trace \(kept)")
        }
        if let failure = attempt.failure { throw Failure(failure) }
        if checkOutcome, case .ended(let end) = report.status, end.outcome == .fail {
            throw Failure("\(id) ended at \(end.node) (fail)", code: "fail-outcome", chart: id, node: end.node)
        }
        if !warnings.isEmpty {
            throw Failure(
                "\(warnings.count) context warning\(warnings.count == 1 ? "" : "s") (--strict)",
                code: "context-warnings", chart: id)
        }
    }

    /// The context and the scheduled events, read from their files.
    private func inputs() throws -> (Value, [ScheduledEvent]) {
        let contextValue = try readJSONFile(context, what: "context")
        do {
            return (
                contextValue, try events.map { try ScheduledEvent.list(from: readJSONFile($0, what: "events")) } ?? []
            )
        } catch let e as RunError {
            throw Failure(e)
        }
    }

    /// Runs, then runs again after each committed change to the chart or a chart it calls, until
    /// interrupted (or `--watch-limit` re-runs). Charts are recompiled one by one as they change.
    /// A change that leaves a chart invalid (or a draft) prints its diagnostics once and keeps
    /// the last valid revision running; nothing is rerun until the next commit.
    private func watchLoop(_ contextValue: Value, _ scheduled: [ScheduledEvent]) throws {
        let db = try openStore(global)
        let live: LiveCharts
        do { live = try LiveCharts(store: db) } catch { throw Failure(error) }
        var shown: Set<Diagnostic> = []
        var used: Set<String> = []
        func showProblems() {
            let all = (try? db.loadAll()) ?? []
            used = Set(ChartClosure.charts(reachableFrom: id, in: all).map(\.chart.id))
            let relevant = live.problems.filter { used.contains($0.chart) && !shown.contains($0) }
            for p in relevant {
                Output.error("\(p)")
                shown.insert(p)
            }
            if !relevant.isEmpty, live.programs.revision(of: id) != nil {
                Output.error(
                    "still running \(id) revision \(live.programs.revision(of: id)!), its last valid one; waiting for a change"
                )
            }
        }
        func runOnce() {
            guard live.programs.revision(of: id) != nil else {
                Output.error("\(id) cannot run now (missing, or never valid); waiting for a change")
                return
            }
            let charts = ((try? db.loadAll()) ?? []).map(\.chart)
            do { try runAndPrint(live.programs, contextValue, scheduled, charts: { _ in charts }) } catch let failure
                as Failure
            {
                Output.fail(failure, json: global.json)
            } catch {
                Output.error("\(error)")
            }
        }
        showProblems()
        runOnce()
        var reruns = 0
        while watchLimit.map({ reruns < $0 }) ?? true {
            Thread.sleep(forTimeInterval: 0.2)
            let before = Set(live.problems)
            let changed: [String]
            do { changed = try live.refresh() } catch { throw Failure(error) }
            if Set(live.problems) != before {
                shown.formIntersection(live.problems)
                showProblems()
            }
            guard changed.contains(where: used.contains) else { continue }
            showProblems()
            Output.line("--- \(changed.joined(separator: ", ")) changed; running \(id) again ---")
            runOnce()
            reruns += 1
        }
    }
}

/// Compiles a chart and the charts it calls; when they do not validate, the failure says whether
/// a draft is the cause (`what`: "run dhcp.client.receive", "time ...").
func compileClosure(_ closure: [StoredChart], for what: String, draftsNote: String = "") throws -> ProgramSet {
    do {
        return try Compiler(registry: Registry.l7flow).compile(
            closure.map { Compiler.Input($0.chart, revision: $0.revision) })
    } catch {
        // A draft runs once it validates (whoever fixed it, l7flow or sqlite3).
        let drafts = closure.filter(\.draft).map(\.chart.id)
        let why =
            drafts.isEmpty
            ? "the charts it uses are invalid"
            : "\(drafts.joined(separator: ", ")) \(drafts.count == 1 ? "is a draft" : "are drafts") and "
                + "\(drafts.count == 1 ? "does" : "do") not validate yet" + draftsNote
        throw Failure(
            "cannot \(what): \(why)\n" + error.description, code: drafts.isEmpty ? "invalid-chart" : "draft",
            chart: error.diagnostics.first?.chart, node: error.diagnostics.first?.node, diagnostics: error.diagnostics)
    }
}
