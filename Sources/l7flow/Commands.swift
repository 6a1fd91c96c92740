import ArgumentParser
import FlowEngine
import FlowInsight
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Protocols

/// Opens the database named by the global options, reporting failures plainly.
func openStore(_ options: GlobalOptions) throws -> ChartStore {
    do { return try ChartStore(path: options.databasePath) } catch { throw Failure("\(error)") }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the database and load the bundled charts (edited charts are kept unless --reset).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Replace every chart with the bundled version.") var reset = false

    func run() throws {
        let store = try openStore(global)
        do { try reset ? store.reset() : store.refreshBundled() } catch { throw Failure("\(error)") }
        let summaries = try summariesOf(store)
        print("\(global.databasePath): \(summaries.count) charts\(reset ? " (reset to the bundled versions)" : "")")
    }
}

func summariesOf(_ store: ChartStore) throws -> [ChartSummary] {
    do { return try store.summaries() } catch { throw Failure("\(error)") }
}

func loadAll(_ store: ChartStore) throws -> [StoredChart] {
    do { return try store.loadAll() } catch { throw Failure("\(error)") }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the charts with protocol, role, trigger, size and revision.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let rows = try summariesOf(try openStore(global))
        let header = ["CHART", "PROTOCOL", "ROLE", "TRIGGER", "NODES", "EDGES", "REV"]
        let table = [header] + rows.map {
            [$0.id + ($0.draft ? " (draft)" : ""), $0.protocolName, $0.role, $0.trigger, "\($0.nodeCount)", "\($0.edgeCount)", "\($0.revision)"]
        }
        let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        for row in table {
            print(row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one chart; as a diagram, with the path of a run lit.",
        discussion: """
            --format dot, mermaid or svg draws the chart (svg through Graphviz's dot). With --trace (a trace saved
            from 'run --json', or a JSON array of them) or --context (and --events) the nodes and edges taken are
            drawn strong and numbered in order, the rest dimmed; several runs show visit counts.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.") var id: String
    @Option(help: "text, yaml, json, dot, mermaid or svg.") var format: ChartFormat = .text
    @Option(help: "Light the path of this trace file (run --json output, or a JSON array of traces).") var trace: String?
    @Option(help: "Light the path of a run made now on this context file (- reads standard input).") var context: String?
    @Option(help: "Timed events for the run made with --context.") var events: String?
    @Flag(help: "Light the paths of every trace kept in the database for this revision of the chart (run --record).") var recorded = false

    func validate() throws {
        if [trace != nil, context != nil, recorded].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --trace, --context and --recorded")
        }
        if events != nil, context == nil { throw ValidationError("--events needs --context") }
        if trace != nil || context != nil || recorded, ![.dot, .mermaid, .svg].contains(format) {
            throw ValidationError("a lit path needs --format dot, mermaid or svg")
        }
    }

    func run() throws {
        let store = try openStore(global)
        let stored: StoredChart?
        do { stored = try store.load(id) } catch { throw Failure("\(error)") }
        guard let stored else { throw Failure("no chart '\(id)' in \(global.databasePath) (see 'l7flow list')") }
        var overlay: PathOverlay?
        if let trace { overlay = try LitPath.overlay(chart: stored.chart, traceFile: trace) }
        if let context {
            overlay = try LitPath.overlay(chart: stored.chart, stored: try loadAll(store), context: context, events: events)
        }
        if recorded { overlay = try LitPath.overlay(chart: stored.chart, revision: stored.revision, store: store) }
        print(try ChartRenderer.render(stored.chart, as: format, revision: stored.revision, overlay: overlay), terminator: "")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check charts statically; print every problem with chart, node and a plain sentence.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart ids (default: all).") var ids: [String] = []

    func run() throws {
        let charts = try loadAll(try openStore(global)).map(\.chart)
        let known = Set(charts.map(\.id))
        for id in ids where !known.contains(id) { throw Failure("no chart '\(id)' in \(global.databasePath)") }
        let validator = Validator(catalog: Registry.l7flow.catalog, charts: charts)
        let chosen = ids.isEmpty ? charts.map(\.id).sorted() : ids
        let diagnostics = chosen.flatMap { id in validator.validate(charts.first { $0.id == id }!) }
        for d in diagnostics { print(d) }
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.count - errors.count
        let plural = chosen.count == 1 ? "" : "s"
        guard errors.isEmpty else {
            throw Failure("\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(Set(errors.map(\.chart)).count) of \(chosen.count) chart\(plural)")
        }
        print("\(chosen.count) chart\(plural) valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one chart against a context and print its trace.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.") var id: String
    @Option(help: "The starting context as JSON (roots device, iface, packet, event, session, local, args, env); - reads standard input.")
    var context: String
    @Option(help: "Timed signals, packets and timer expiries as a JSON array.") var events: String?
    @Flag(help: "Print the trace as JSON (the trace contract).") var json = false
    @Option(help: "Nodes a run may visit before it is stopped as an endless loop.") var maxSteps = 100_000
    @Option(help: "How deep chart calls may nest.") var maxDepth = 64
    @Flag(help: "Keep running: run again whenever the chart (or one it calls) changes in the database.") var watch = false
    @Flag(help: "Keep the trace in the database (see 'l7flow traces'), for coverage and lit diagrams later.") var record = false
    @Option(help: .hidden) var watchLimit: Int?

    func run() throws {
        if watch { return try watchLoop() }
        let (contextValue, scheduled) = try inputs()
        let store = try openStore(global)
        let all = try loadAll(store)
        guard all.contains(where: { $0.chart.id == id }) else { throw Failure("no chart '\(id)' in \(global.databasePath) (see 'l7flow list')") }
        let closure = ChartClosure.charts(reachableFrom: id, in: all)
        if let draft = closure.first(where: \.draft) { throw Failure("\(draft.chart.id) is a draft; it runs once it validates") }
        let programs: ProgramSet
        do {
            programs = try Compiler(registry: Registry.l7flow).compile(closure.map { Compiler.Input($0.chart, revision: $0.revision) })
        } catch {
            throw Failure("cannot run \(id): the charts it uses are invalid\n" + error.description)
        }
        let report: RunReport
        do {
            report = try Runner.run(programs: programs, chart: id, context: contextValue, events: scheduled,
                                    options: MachineOptions(stepBudget: maxSteps, maxDepth: maxDepth))
        } catch {
            throw Failure("\(error)")
        }
        printReport(report)
        if record {
            do {
                let id = try store.recordTrace(report.json, chartID: id, revision: report.revision,
                                               revisions: report.revisions(in: programs), source: .run, label: context)
                Output.note("recorded as trace \(id)")
            } catch {
                throw Failure("\(error)")
            }
        }
    }

    /// The context and the scheduled events, read from their files.
    private func inputs() throws -> (Value, [ScheduledEvent]) {
        let contextValue = try readJSON(context, what: "context")
        do {
            return (contextValue, try events.map { try ScheduledEvent.list(from: readJSON($0, what: "events")) } ?? [])
        } catch let e as RunError {
            throw Failure("\(e)")
        }
    }

    private func printReport(_ report: RunReport) {
        if json { print(JSON.encode(report.json, pretty: true)) } else { print(TraceText.render(report), terminator: "") }
    }

    /// Runs, then runs again after each committed change to the chart or a chart it calls, until
    /// interrupted (or `--watch-limit` re-runs). Charts are recompiled one by one as they change.
    private func watchLoop() throws {
        let (contextValue, scheduled) = try inputs()
        let live: LiveCharts
        do { live = try LiveCharts(store: try openStore(global)) } catch { throw Failure("\(error)") }
        var reruns = 0
        func runOnce() {
            for p in live.problems { Output.error("\(p)") }
            guard live.programs.revision(of: id) != nil else {
                Output.error("\(id) cannot run now (missing, a draft, or invalid); waiting for a change")
                return
            }
            do {
                printReport(try Runner.run(programs: live.programs, chart: id, context: contextValue, events: scheduled,
                                           options: MachineOptions(stepBudget: maxSteps, maxDepth: maxDepth)))
            } catch {
                Output.error("\(error)")
            }
        }
        runOnce()
        while watchLimit.map({ reruns < $0 }) ?? true {
            Thread.sleep(forTimeInterval: 0.2)
            let changed: [String]
            do { changed = try live.refresh() } catch { throw Failure("\(error)") }
            guard !changed.isEmpty || !live.problems.isEmpty else { continue }
            let all = (try? openStore(global).loadAll()) ?? []
            let used = Set(ChartClosure.charts(reachableFrom: id, in: all).map(\.chart.id))
            guard changed.contains(where: used.contains) || live.problems.contains(where: { used.contains($0.chart) }) else { continue }
            print("--- \(changed.joined(separator: ", ")) changed; running \(id) again ---")
            runOnce()
            reruns += 1
        }
    }

    private func readJSON(_ file: String, what: String) throws -> Value {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else { throw Failure("\(what) file \(file) cannot be read") }
            data = d
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure("\(what) file \(file) is not UTF-8 text") }
        do { return try JSON.parse(text) } catch { throw Failure("\(what) file \(file) is not valid JSON: \(error)") }
    }
}

struct Primitives: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the primitives charts may call: name, kind, parameters, meaning.")
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let signatures = Registry.l7flow.catalog.values.sorted { $0.name < $1.name }
        if json {
            let list: [Value] = signatures.map { s in
                .map([
                    "name": .string(s.name), "kind": .string(s.kind.rawValue), "summary": .string(s.summary),
                    "result": s.result.map { .string($0.rawValue) } ?? .null,
                    "parameters": .list(s.parameters.map { p in
                        .map(["name": .string(p.name), "type": .string(p.type.rawValue), "passing": .string(p.passing.rawValue),
                              "nullable": .bool(p.nullable), "variadic": .bool(p.variadic), "default": p.defaultValue ?? .null])
                    }),
                ])
            }
            print(JSON.encode(.list(list), pretty: true))
            return
        }
        for s in signatures {
            print("\(s.text)  [\(s.kind.rawValue)]")
            print("    \(s.summary)")
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load chart files (or folders of them) into the database, each as a new revision.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart files or folders.") var paths: [String]

    func run() throws {
        let store = try openStore(global)
        do {
            for id in try store.importFiles(paths, validate: Validator.l7flowCheck) { print("imported \(id)") }
        } catch {
            throw Failure("\(error)")
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write charts to text files <dir>/<protocol>/<id>.flow in the canonical form.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart ids (default: all).") var ids: [String] = []
    @Option(help: "The folder to write to.") var to: String = "Flowcharts"

    func run() throws {
        let store = try openStore(global)
        do {
            for path in try store.export(ids: ids.isEmpty ? nil : ids, to: to) { print("wrote \(path)") }
        } catch {
            throw Failure("\(error)")
        }
    }
}

/// The output formats of `show`.
enum ChartFormat: String, ExpressibleByArgument, CaseIterable {
    case text, yaml, json, dot, mermaid, svg
}

extension Validator {
    /// Validates incoming charts against the registry and the charts already stored.
    static let l7flowCheck: @Sendable ([Chart], [Chart]) -> [Diagnostic] = { incoming, stored in
        let ids = Set(incoming.map(\.id))
        let validator = Validator(catalog: Registry.l7flow.catalog, charts: stored.filter { !ids.contains($0.id) } + incoming)
        return incoming.flatMap { validator.validate($0) }
    }
}

/// The charts a run needs: the chart and every chart it calls, directly or not.
enum ChartClosure {
    static func charts(reachableFrom id: String, in all: [StoredChart]) -> [StoredChart] {
        var byID: [String: StoredChart] = [:]
        for s in all { byID[s.chart.id] = s }
        var order: [String] = []
        var queue = [id]
        var seen: Set<String> = [id]
        while let next = queue.popLast() {
            guard let stored = byID[next] else { continue }
            order.append(next)
            for node in stored.chart.nodes where node.kind == .call {
                if case .call(let call)? = try? node.parsedBody(), seen.insert(call.name).inserted { queue.append(call.name) }
            }
        }
        return order.compactMap { byID[$0] }
    }
}
