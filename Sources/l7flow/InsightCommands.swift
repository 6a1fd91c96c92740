import ArgumentParser
import CaseSupport
import FlowEngine
import FlowInsight
import FlowStore
import FlowchartModel
import Foundation
import Protocols

/// `l7flow coverage`: how much of each chart the golden cases (and recorded traces) reach.
struct Coverage: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract:
            "Node, edge and decision-outcome coverage of the charts over case files, listing the branches never taken.",
        discussion: """
            Runs every case of the case files (the spec's test-case form) in process against the charts in the
            database and counts, per chart, the nodes visited, the edges taken and the yes/no outcomes of its
            decisions and waits. With --min, exits 1 when any chart's outcome coverage is below that percent.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart ids to report (default: every chart).") var ids: [String] = []
    @Option(help: "A folder of case files (*.json); default: Tests/Cases when it exists.") var cases: String?
    @Option(help: "A folder of scenarios (*.scenario.json) to simulate and count too.") var scenarios: String?
    @Option(help: "Fail (exit 1) when a chart's decision-outcome coverage is below this percent (0-100).") var min:
        Double?
    @Flag(
        help: "Count the traces kept in the database (run --record) too, those made with the charts' current revisions."
    )
    var recorded = false

    func validate() throws {
        if let min, !(0...100).contains(min) { throw ValidationError("--min must be a percent from 0 to 100") }
    }

    func run() throws {
        let store = try openStore(global)
        let stored = try loadAllCharts(store).filter { !$0.draft }
        let known = Set(stored.map(\.chart.id))
        for id in ids where !known.contains(id) {
            throw Failure("no chart '\(id)' in \(global.databasePath) (see 'l7flow list')")
        }
        // With --recorded or --scenarios alone, the case folder is used only when there is one.
        let useCases =
            cases != nil || (!recorded && scenarios == nil) || FileManager.default.fileExists(atPath: "Tests/Cases")
        let programs = try compileAll(stored)
        let loaded = useCases ? try loadCases(try caseFolder(cases)) : []
        var overlays = OverlaySet(charts: stored.map(\.chart))
        var failed: [String] = []
        for (c, result) in CaseRuns.run(loaded, programs: programs) {
            switch result {
            case .success(let report): overlays.add(run: Visit.list(from: report.steps))
            case .failure(let error): failed.append("\(c.id): \(error)")
            }
        }
        var simulated = 0
        if let scenarios {
            let files = try scenarioFiles(scenarios)
            let dispatch = try loadDispatch(store)
            for file in files {
                let sim = try SimulationRuns.simulate(file, programs: programs, dispatch: dispatch)
                for run in SimulationRuns.runs(of: sim) { overlays.add(run: run.visits) }
            }
            simulated = files.count
        }
        var kept = 0
        if recorded {
            let runs = try RecordedRuns.visits(
                of: Dictionary(stored.map { ($0.chart.id, $0.revision) }, uniquingKeysWith: { a, _ in a }), store: store
            )
            kept = runs.count
            for run in runs { overlays.add(run: run.visits, only: run.charts) }
        }
        let chosen =
            ids.isEmpty
            ? stored.map(\.chart).sorted { $0.id < $1.id }
            : ids.compactMap { id in stored.first { $0.chart.id == id }?.chart }
        let report = CoverageReport(charts: chosen, overlays: overlays)
        let below = min.map { m in report.charts.filter { $0.outcomes.percent < m } } ?? []
        if global.json {
            var out = report.json.map ?? [:]
            out["cases"] = .int(loaded.count)
            out["traces"] = .int(kept)
            out["scenarios"] = .int(simulated)
            out["cases_failed"] = .list(failed.map(Value.string))
            if let min {
                out["min"] = .double(min)
                out["below_min"] = .list(below.map { .string($0.chartID) })
            }
            print(JSON.encode(.map(out), pretty: true))
        } else {
            print(CoverageText.render(report, cases: loaded.count, scenarios: simulated, traces: kept, failed: failed))
        }
        if let min, !below.isEmpty {
            throw Failure(
                "\(below.count) chart\(below.count == 1 ? "" : "s") below \(Value.double(min).text)% of decision outcomes: "
                    + below.map(\.chartID).joined(separator: ", "))
        }
    }
}

/// Every chart of the database.
func loadAllCharts(_ db: ChartStore) throws -> [StoredChart] {
    try store { () throws(StoreError) in try db.loadAll() }
}

/// Running case files in process.
enum CaseRuns {
    /// Runs each case; a case that cannot run gives its error.
    static func run(_ cases: [SpecCase], programs: ProgramSet) -> [(SpecCase, Result<RunReport, RunError>)] {
        cases.map { c in
            do throws(RunError) {
                let events = try ScheduledEvent.list(from: c.events)
                return (
                    c,
                    .success(try Runner.run(programs: programs, chart: c.flowchart, context: c.context, events: events))
                )
            } catch {
                return (c, .failure(error))
            }
        }
    }
}

extension RunReport {
    /// The revision of every chart the run visited.
    func revisions(in programs: ProgramSet) -> [String: Int] {
        var out: [String: Int] = [:]
        for step in steps where out[step.flowchart] == nil {
            out[step.flowchart] = programs.revision(of: step.flowchart)
        }
        out[chart] = revision
        return out
    }
}

/// The scenario files of a folder, in name order.
func scenarioFiles(_ folder: String) throws -> [String] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
        throw Failure("--scenarios \(folder) is not a folder")
    }
    let files = names.filter { $0.hasSuffix(".scenario.json") }.sorted().map {
        (folder as NSString).appendingPathComponent($0)
    }
    guard !files.isEmpty else { throw Failure("no scenarios in \(folder) (expected *.scenario.json files)") }
    return files
}

/// The folder of case files: the one given, else `Tests/Cases` when it exists.
func caseFolder(_ given: String?) throws -> URL {
    let path = given ?? "Tests/Cases"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw Failure(
            given == nil
                ? "no case folder: give --cases DIR (Tests/Cases is not in this folder)"
                : "--cases \(path) is not a folder")
    }
    return URL(fileURLWithPath: path)
}

func loadCases(_ folder: URL) throws -> [SpecCase] {
    let cases: [SpecCase]
    do { cases = try CaseLibrary.load(from: folder) } catch { throw Failure("case files in \(folder.path): \(error)") }
    guard !cases.isEmpty else { throw Failure("no cases in \(folder.path) (expected *.json case files)") }
    return cases
}

/// Compiles every stored chart; an invalid chart stops the command with the diagnostics.
func compileAll(_ stored: [StoredChart]) throws -> ProgramSet {
    do {
        return try Compiler(registry: Registry.l7flow).compile(
            stored.map { Compiler.Input($0.chart, revision: $0.revision) })
    } catch {
        throw Failure("the charts do not validate (see 'l7flow validate')\n" + error.description)
    }
}

/// The coverage report as text: one row per chart, then the branches never taken.
enum CoverageText {
    static func render(_ report: CoverageReport, cases: Int, scenarios: Int, traces: Int, failed: [String]) -> String {
        func cell(_ r: ChartCoverage.Ratio) -> String { "\(r.hit)/\(r.total) \(percent(r))" }
        func percent(_ r: ChartCoverage.Ratio) -> String {
            let p = r.percent
            return p == 100 ? "100%" : String(format: "%.1f%%", p)
        }
        let header = ["CHART", "NODES", "EDGES", "OUTCOMES"]
        var rows = [header] + report.charts.map { [$0.chartID, cell($0.nodes), cell($0.edges), cell($0.outcomes)] }
        rows.append(["total", cell(report.nodes), cell(report.edges), cell(report.outcomes)])
        var out =
            "\(cases) cases" + (scenarios > 0 ? ", \(scenarios) scenarios" : "")
            + (traces > 0 ? ", \(traces) kept traces" : "") + "\n"
        out += Output.columns(rows)
        let gaps = report.charts.filter { !$0.missingOutcomes.isEmpty || !$0.unvisitedNodes.isEmpty }
        if !gaps.isEmpty {
            out += "never taken:\n"
            for c in gaps {
                var parts: [String] = []
                if !c.missingOutcomes.isEmpty { parts.append("outcomes " + c.missingOutcomes.joined(separator: " ")) }
                if !c.unvisitedNodes.isEmpty { parts.append("nodes " + c.unvisitedNodes.joined(separator: " ")) }
                out += "    \(c.chartID): " + parts.joined(separator: "; ") + "\n"
            }
        }
        if !failed.isEmpty { out += "cases that could not run:\n" + failed.map { "    \($0)\n" }.joined() }
        return String(out.dropLast())
    }
}

/// The runs whose path `show` lights: from stored traces, or made now from a context.
enum LitPath {
    /// Reads a trace file: one trace (`run --json`), or a JSON array of traces.
    static func overlay(chart: Chart, traceFile: String) throws -> PathOverlay {
        let value = try readJSONFile(traceFile, what: "trace")
        let traces: [Value] =
            value.list.map { list in list.first?["steps"].isNull == false ? list : [value] } ?? [value]
        var overlay = PathOverlay(chart: chart)
        for trace in traces {
            do { overlay.add(run: try Visit.list(fromTrace: trace)) } catch {
                throw Failure("trace file \(traceFile): \(error)")
            }
        }
        guard !overlay.isEmpty else { throw Failure("trace file \(traceFile) never visits \(chart.id)") }
        return overlay
    }

    /// Lights the paths of every kept trace made with this revision of the chart.
    static func overlay(chart: Chart, revision: Int, store: ChartStore) throws -> PathOverlay {
        var overlay = PathOverlay(chart: chart)
        for run in try RecordedRuns.visits(of: [chart.id: revision], store: store) { overlay.add(run: run.visits) }
        guard !overlay.isEmpty else {
            throw Failure("no trace kept for \(chart.id) r\(revision) (record some with 'l7flow run ... --record')")
        }
        return overlay
    }

    /// Runs the chart on a context (and events) and lights its path.
    static func overlay(chart: Chart, stored: [StoredChart], context: String, events: String?) throws -> PathOverlay {
        let closure = ChartClosure.charts(reachableFrom: chart.id, in: stored)
        let programs = try compileAll(closure)
        let report: RunReport
        do {
            let scheduled = try events.map { try ScheduledEvent.list(from: readJSONFile($0, what: "events")) } ?? []
            report = try Runner.run(
                programs: programs, chart: chart.id, context: readJSONFile(context, what: "context"), events: scheduled)
        } catch let error as RunError {
            throw Failure("\(error)")
        }
        var overlay = PathOverlay(chart: chart)
        overlay.add(run: Visit.list(from: report.steps))
        return overlay
    }
}

/// Traces kept in the database, as visits for overlays and coverage.
enum RecordedRuns {
    /// The visits of every kept trace that visited one of the charts at its current revision
    /// (`current`: chart id -> revision). A trace made with an older revision of a chart it visited
    /// counts for the others only.
    static func visits(of current: [String: Int], store: ChartStore) throws -> [(visits: [Visit], charts: Set<String>)]
    {
        let records: [TraceRecord]
        do { records = try store.traces() } catch { throw Failure("\(error)") }
        var out: [(visits: [Visit], charts: Set<String>)] = []
        for record in records {
            let fresh = Set(record.revisions.filter { current[$0.key] == $0.value }.keys)
            guard !fresh.isEmpty else { continue }
            let trace: Value?
            do { trace = try store.trace(record.id) } catch { throw Failure("\(error)") }
            guard let trace else { continue }
            do {
                out.append((try Visit.list(fromTrace: trace), fresh))
            } catch {
                throw Failure("trace \(record.id): \(error)")
            }
        }
        return out
    }
}

/// `l7flow traces`: the traces kept with `run --record` (and `simulate --record`).
struct Traces: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "List the traces kept in the database (run --record), or print one.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only traces that visited this chart.") var chart: String?
    @Option(help: "Print the whole trace with this id (its JSON).") var id: Int?

    func run() throws {
        let store = try openStore(global)
        if let id {
            let trace: Value?
            do { trace = try store.trace(id) } catch { throw Failure("\(error)") }
            guard let trace else { throw Failure("no trace \(id) in \(global.databasePath) (see 'l7flow traces')") }
            print(JSON.encode(trace, pretty: true))
            return
        }
        let records: [TraceRecord]
        do { records = try store.traces(visiting: chart) } catch { throw Failure("\(error)") }
        if global.json {
            print(
                JSON.encode(
                    .list(
                        records.map { r in
                            .map([
                                "id": .int(r.id), "flowchart": .string(r.chartID), "revision": .int(r.revision),
                                "revisions": .map(r.revisions.mapValues { .int($0) }), "source": .string(r.source),
                                "label": .string(r.label),
                                "end": r.endNode.map(Value.string) ?? .null, "steps": .int(r.steps),
                                "recorded_at": .string(r.recordedAt),
                            ])
                        }), pretty: true))
            return
        }
        if records.isEmpty {
            print("no traces kept\(chart.map { " for \($0)" } ?? "") (record one with 'l7flow run ... --record')")
        }
        for r in records {
            print(
                "\(r.id)  \(r.recordedAt)  \(r.source)  \(r.chartID) r\(r.revision)  \(r.endNode ?? "(no end)")  \(r.steps) steps  \(r.label)"
            )
        }
    }
}

extension Output {
    /// Rows as text columns, each padded to its widest cell and two spaces apart (the last column
    /// unpadded), one line a row.
    static func columns(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        let widths = (0..<count).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ") + "\n"
        }.joined()
    }

    /// A line for the user on standard error that is not an error (so standard output stays the result).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Reads a JSON file (`-` for standard input): the one reader of every command's input files.
func readJSONFile(_ file: String, what: String) throws(Failure) -> Value {
    let data: Data
    if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let d = FileManager.default.contents(atPath: file) else {
            throw Failure("\(what) file \(file) cannot be read", code: "input")
        }
        data = d
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw Failure("\(what) file \(file) is not UTF-8 text", code: "input")
    }
    do { return try JSON.parse(text) } catch {
        throw Failure("\(what) file \(file) is not valid JSON: \(error)", code: "input")
    }
}

/// Graphviz's `dot`, for `--format svg`.
enum Graphviz {
    /// Renders dot source to SVG with the `dot` program on the PATH.
    static func svg(_ source: String) throws -> String {
        guard let dot = executable("dot") else {
            throw Failure(
                "--format svg needs Graphviz's 'dot' program, which is not installed (apt-get install graphviz); "
                    + "--format dot prints the source to render elsewhere")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw Failure("cannot start \(dot): \(error)") }
        // Write and read concurrently so a large graph cannot fill a pipe and stall both sides.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(source.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                "dot failed (status \(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
        return String(decoding: svg, as: UTF8.self)
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// What an edit changed in behaviour: the same cases run against two revisions of a chart.
enum BehaviourDiffRun {
    static func run(store: ChartStore, chart id: String, from: Int, to: Int, casesFolder: URL) throws -> (
        cases: Int, differences: [BehaviourDifference]
    ) {
        let stored = try loadAllCharts(store).filter { !$0.draft }
        let old: Chart
        let new: Chart
        do {
            old = try store.chart(id, at: from)
            new = try store.chart(id, at: to)
        } catch { throw Failure("\(error)") }
        func programs(_ version: Chart, revision: Int) throws -> ProgramSet {
            let inputs =
                stored.filter { $0.chart.id != id }.map { Compiler.Input($0.chart, revision: $0.revision) }
                + [Compiler.Input(version, revision: revision)]
            do { return try Compiler(registry: Registry.l7flow).compile(inputs) } catch {
                throw Failure("\(id) r\(revision) does not validate with the other charts\n" + error.description)
            }
        }
        let before = try programs(old, revision: from)
        let after = try programs(new, revision: to)
        let cases = try loadCases(casesFolder)
        let a = CaseRuns.run(cases, programs: before)
        let b = CaseRuns.run(cases, programs: after)
        var out: [BehaviourDifference] = []
        for ((c, ra), (_, rb)) in zip(a, b) {
            // Only inputs that reach the chart under either revision can differ because of it.
            let touches = [ra, rb].contains { r in
                if case .success(let report) = r { return report.steps.contains { $0.flowchart == id } }
                return c.flowchart == id
            }
            guard touches else { continue }
            if let d = BehaviourDifference.compare(input: c.id, outcome(ra), outcome(rb)) { out.append(d) }
        }
        return (cases.count, out)
    }

    static func outcome(_ result: Result<RunReport, RunError>) -> RunOutcome {
        switch result {
        case .success(let report): RunOutcome(trace: report.json)
        case .failure(let error): RunOutcome(error: "\(error)")
        }
    }

    static func text(_ d: BehaviourDifference) -> String {
        var parts: [String] = []
        if let i = d.divergenceIndex {
            parts.append("path differs at step \(i + 1): \(d.before ?? "(ended)") -> \(d.after ?? "(ended)")")
        }
        let others = d.aspects.filter { $0 != .path && $0 != .writes }.map(\.rawValue)
        if !others.isEmpty { parts.append(others.joined(separator: ", ") + " differ") }
        if !d.changedWrites.isEmpty { parts.append("writes " + d.changedWrites.joined(separator: ", ")) }
        return "    \(d.input): " + parts.joined(separator: "; ")
    }
}
