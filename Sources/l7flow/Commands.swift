import ArgumentParser
import FlowEngine
import FlowInsight
import FlowStore
import FlowchartModel
import Foundation
import Protocols

/// Opens the database named by the global options. An empty file is refused unless `init` asks
/// to make a database of it; `verify: false` skips reading the whole file to check it (`run`).
func openStore(_ options: GlobalOptions, allowEmptyFile: Bool = false, verify: Bool = true) throws(Failure)
    -> ChartStore
{
    try store { () throws(StoreError) in
        try ChartStore(path: options.databasePath, allowEmptyFile: allowEmptyFile, verify: verify)
    }
}

struct Init: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade the database and load the bundled charts (edited charts are kept unless --reset).",
        discussion: """
            Adds the bundled charts that are missing, brings up to date those nobody edited, names those
            it left alone because they were edited, and removes rows a hand edit left without their chart
            or node. The whole file is checked first (PRAGMA integrity_check). An empty file is made a database.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Replace every chart with the bundled version (edits stay in each chart's history).") var reset = false

    func run() throws {
        let db = try openStore(global, allowEmptyFile: true)
        try store { () throws(StoreError) in try db.checkIntegrity() }
        var update = BundleUpdate()
        if reset {
            try store { () throws(StoreError) in try db.reset() }
        } else {
            update = try store { () throws(StoreError) in try db.refreshBundled() }
        }
        let count = try store { () throws(StoreError) in try db.summaries().count }
        var lines = ["\(global.databasePath): \(count) charts\(reset ? " (reset to the bundled versions)" : "")"]
        if !update.added.isEmpty {
            lines.append("added \(update.added.count): \(update.added.joined(separator: ", "))")
        }
        if !update.updated.isEmpty {
            lines.append(
                "updated to the bundled version \(update.updated.count): \(update.updated.joined(separator: ", "))")
        }
        if !update.kept.isEmpty {
            lines.append(
                "kept \(update.kept.count) edited chart\(update.kept.count == 1 ? "" : "s") (a newer bundled version exists; "
                    + "'l7flow init --reset' takes it): \(update.kept.joined(separator: ", "))")
        }
        for orphan in update.orphansRemoved { lines.append("removed \(orphan)") }
        Output.emit(
            global,
            json: .map([
                "database": .string(global.databasePath), "charts": .int(count), "reset": .bool(reset),
                "added": .list(update.added.map(Value.string)), "updated": .list(update.updated.map(Value.string)),
                "kept": .list(update.kept.map(Value.string)), "removed": .list(update.orphansRemoved.map(Value.string)),
            ]), text: lines.map { $0 + "\n" }.joined())
    }
}

struct List: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the charts with protocol, role, trigger, size and revision.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let db = try openStore(global)
        let rows = try store { () throws(StoreError) in try db.summaries() }
        let header = ["CHART", "PROTOCOL", "ROLE", "TRIGGER", "NODES", "EDGES", "REV"]
        let table =
            [header]
            + rows.map {
                [
                    $0.id + ($0.draft ? " (draft)" : ""), $0.protocolName, $0.role, $0.trigger, "\($0.nodeCount)",
                    "\($0.edgeCount)", "\($0.revision)",
                ]
            }
        let text = Output.columns(table)
        Output.emit(
            global,
            json: .list(
                rows.map {
                    .map([
                        "id": .string($0.id), "protocol": .string($0.protocolName), "role": .string($0.role),
                        "trigger": .string($0.trigger),
                        "nodes": .int($0.nodeCount), "edges": .int($0.edgeCount), "revision": .int($0.revision),
                        "draft": .bool($0.draft),
                    ])
                }), text: text)
    }
}

struct Show: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one chart; as a diagram, with the path of a run lit.",
        discussion: """
            --format dot, mermaid or svg draws the chart (svg through Graphviz's dot). With --trace (a trace saved
            from 'run --json', or a JSON array of them), --context (and --events) or --recorded the nodes and edges
            taken are drawn strong and numbered in order, the rest dimmed; several runs show visit counts.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var id: String
    @Option(help: "text, yaml, json, dot, mermaid or svg (--json is the same as --format json).") var format:
        ChartFormat = .text
    @Option(help: "Light the path of this trace file (run --json output, or a JSON array of traces).") var trace:
        String?
    @Option(help: "Light the path of a run made now on this context file (- reads standard input).") var context:
        String?
    @Option(help: "Timed events for the run made with --context.") var events: String?
    @Flag(help: "Light the paths of every trace kept in the database for this revision of the chart (run --record).")
    var recorded = false

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
        let db = try openStore(global)
        guard let stored = try store({ () throws(StoreError) in try db.load(id) }) else {
            throw Failure.noChart(id, in: global.databasePath)
        }
        var overlay: PathOverlay?
        if let trace { overlay = try LitPath.overlay(chart: stored.chart, traceFile: trace) }
        if let context {
            overlay = try LitPath.overlay(
                chart: stored.chart, stored: try loadAllCharts(db), context: context, events: events)
        }
        if recorded { overlay = try LitPath.overlay(chart: stored.chart, revision: stored.revision, store: db) }
        Output.text(
            try ChartRenderer.render(
                stored.chart, as: global.json ? .json : format, revision: stored.revision, overlay: overlay))
    }
}

struct Validate: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check charts statically; print every problem with chart, node and a plain sentence.",
        discussion:
            "Checks the database file too (PRAGMA integrity_check) and names rows a hand edit left without their chart or node."
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart ids (default: all).", completion: .custom(chartIDs)) var ids: [String] = []

    func run() throws {
        let db = try openStore(global)
        try store { () throws(StoreError) in try db.checkIntegrity() }
        let charts = try store { () throws(StoreError) in try db.loadAll() }.map(\.chart)
        let orphans = try store { () throws(StoreError) in try db.orphans() }
        let known = Set(charts.map(\.id))
        for id in ids where !known.contains(id) { throw Failure.noChart(id, in: global.databasePath) }
        let validator = Validator(catalog: Registry.l7flow.catalog, charts: charts)
        let chosen = ids.isEmpty ? charts.map(\.id).sorted() : ids
        let byID = Dictionary(charts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let diagnostics = chosen.flatMap { id in byID[id].map { validator.validate($0) } ?? [] }
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.count - errors.count
        let plural = chosen.count == 1 ? "" : "s"
        let orphanLines = orphans.map { "database: \($0) (l7flow init removes it)" }
        Output.emit(
            global,
            json: .map([
                "charts": .int(chosen.count), "valid": .bool(errors.isEmpty && orphans.isEmpty),
                "diagnostics": .list(diagnostics.map(\.json)), "orphans": .list(orphans.map(Value.string)),
            ]), text: (diagnostics.map(\.description) + orphanLines).map { $0 + "\n" }.joined())
        guard errors.isEmpty && orphans.isEmpty else {
            var parts: [String] = []
            if !errors.isEmpty {
                parts.append(
                    "\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(Set(errors.map(\.chart)).count) of \(chosen.count) chart\(plural)"
                )
            }
            if !orphans.isEmpty {
                parts.append("\(orphans.count) orphan row\(orphans.count == 1 ? "" : "s") in the database")
            }
            throw Failure(
                parts.joined(separator: "; "), code: "invalid-chart", chart: errors.first?.chart,
                node: errors.first?.node,
                diagnostics: errors)
        }
        if !global.json {
            Output.line(
                "\(chosen.count) chart\(plural) valid"
                    + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        }
    }
}

struct Primitives: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "primitives", abstract: "List the primitives charts may call: name, kind, parameters, meaning.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let signatures = Registry.l7flow.catalog.values.sorted { $0.name < $1.name }
        Output.emit(
            global,
            json: .list(
                signatures.map { s in
                    .map([
                        "name": .string(s.name), "kind": .string(s.kind.rawValue), "summary": .string(s.summary),
                        "result": s.result.map { .string($0.rawValue) } ?? .null,
                        "parameters": .list(
                            s.parameters.map { p in
                                .map([
                                    "name": .string(p.name), "type": .string(p.type.rawValue),
                                    "passing": .string(p.passing.rawValue),
                                    "nullable": .bool(p.nullable), "variadic": .bool(p.variadic),
                                    "default": p.defaultValue ?? .null,
                                ])
                            }),
                    ])
                }), text: signatures.map { "\($0.text)  [\($0.kind.rawValue)]\n    \($0.summary)\n" }.joined())
    }
}

struct Import: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load chart files (or folders of them) into the database, each as a new revision.",
        discussion:
            "Every file is read and validated before anything is written; then all are stored in one transaction.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart files (.flow) or folders holding them.", completion: .file(extensions: ["flow"])) var paths:
        [String]

    func run() throws {
        let db = try openStore(global)
        let ids = try store { () throws(StoreError) in try db.importFiles(paths, validate: Validator.l7flowCheck) }
        Output.emit(
            global, json: .map(["imported": .list(ids.map(Value.string))]),
            text: ids.map { "imported \($0)\n" }.joined())
    }
}

struct Export: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write charts to text files <dir>/<protocol>/<id>.flow in the canonical form.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart ids (default: all).", completion: .custom(chartIDs)) var ids: [String] = []
    @Option(help: ArgumentHelp("The folder to write to.", valueName: "dir"), completion: .directory) var to: String =
        "Flowcharts"

    func run() throws {
        let db = try openStore(global)
        let written = try store { () throws(StoreError) in try db.export(ids: ids.isEmpty ? nil : ids, to: to) }
        Output.emit(
            global, json: .map(["written": .list(written.map(Value.string))]),
            text: written.map { "wrote \($0)\n" }.joined())
    }
}

/// The output formats of `show`.
enum ChartFormat: String, ExpressibleByArgument, CaseIterable {
    case text, yaml, json, dot, mermaid, svg
}

/// Chart ids for shell completion, read from the database in effect (none when it cannot be read).
@Sendable func chartIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    var path = ProcessInfo.processInfo.environment["L7FLOW_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "l7flow.sqlite"
    if let i = words.firstIndex(of: "--db"), i + 1 < words.count { path = words[i + 1] }
    guard FileManager.default.fileExists(atPath: path), let db = try? ChartStore(path: path, seed: false) else {
        return []
    }
    return (try? db.summaries().map(\.id).filter { $0.hasPrefix(prefix) }) ?? []
}

extension Validator {
    /// Validates incoming charts against the registry and the charts already stored.
    static let l7flowCheck: @Sendable ([Chart], [Chart]) -> [Diagnostic] = { incoming, stored in
        let ids = Set(incoming.map(\.id))
        let validator = Validator(
            catalog: Registry.l7flow.catalog, charts: stored.filter { !ids.contains($0.id) } + incoming)
        return incoming.flatMap { validator.validate($0) }
    }
}

/// The charts a run needs: the chart and every chart it calls, directly or not.
enum ChartClosure {
    static func charts(reachableFrom id: String, in all: [StoredChart]) -> [StoredChart] {
        var byID: [String: StoredChart] = [:]
        for s in all { byID[s.chart.id] = s }
        return (try? ChartStore.closure(of: id) { byID[$0] }) ?? []
    }
}
