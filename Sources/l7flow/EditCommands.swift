import ArgumentParser
import FlowEngine
import FlowStore
import FlowchartModel
import Foundation
import Protocols

/// `l7flow edit ...`: changes to one chart, each one transaction and one revision. An edit that
/// would leave the chart invalid is refused with the validator's diagnostics, unless `--draft`.
struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract:
            "Change a chart: nodes, bodies, edges, ids, bindings. Each edit is one revision (none when nothing changes).",
        subcommands: [
            AddNode.self, RemoveNode.self, Relabel.self, SetBody.self, AddEdge.self, RemoveEdge.self, Retarget.self,
            Swap.self, Rename.self, Copy.self, Bind.self,
        ]
    )
    @OptionGroup var global: GlobalOptions
}

/// Options every chart edit takes.
struct EditOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Flag(
        help:
            "Store the chart even if the edit leaves it invalid (its problems are printed); a draft does not run until it validates."
    )
    var draft = false
}

/// An edit of one chart's nodes and edges.
protocol ChartEditCommand: GlobalCommand {
    var options: EditOptions { get }
}

extension ChartEditCommand {
    var global: GlobalOptions { options.global }
}

/// Applies edits to a chart, validates it against the other charts, and saves it as one new
/// revision, all under the database's write lock so that no concurrent edit is lost. An edit
/// that changes nothing makes no revision. A draft's problems are printed.
func applyEdits(_ edits: [ChartEdit], to id: String, options: EditOptions) throws {
    let db = try openStore(options.global)
    var problems: [Diagnostic] = []
    let saved: Saved
    do {
        saved = try db.update(id) { current, others in
            var chart = current
            for edit in edits { try edit.apply(to: &chart) }
            let validator = Validator(catalog: Registry.l7flow.catalog, charts: others + [chart])
            problems = validator.validate(chart).filter { $0.severity == .error }
            if !problems.isEmpty && !options.draft {
                throw Failure(
                    "the edit would leave \(id) invalid, so nothing was changed (use --draft to store it anyway):\n"
                        + problems.map(\.description).joined(separator: "\n"),
                    code: "invalid-chart", chart: id, node: problems.first?.node, diagnostics: problems)
            }
            return (chart, !problems.isEmpty)
        }
    } catch {
        switch error {
        case .chartNotFound: throw Failure.noChart(id, in: options.global.databasePath)
        case .refused(let message):
            // The validator's refusal keeps its diagnostics; a ChartEdit's names the node.
            if !problems.isEmpty && !options.draft {
                throw Failure(
                    message, code: "invalid-chart", chart: id, node: problems.first?.node, diagnostics: problems)
            }
            throw Failure(message, code: "refused", chart: id)
        default: throw Failure(error)
        }
    }
    let plural = problems.count == 1 ? "" : "s"
    var text =
        saved.changed ? "\(id): revision \(saved.revision)" : "\(id): no change (still revision \(saved.revision))"
    if !problems.isEmpty { text += " (draft: \(problems.count) problem\(plural) to fix before it runs)" }
    text += "\n" + problems.map { "  \($0)\n" }.joined()
    Output.emit(
        options.global,
        json: .map([
            "chart": .string(id), "revision": .int(saved.revision), "changed": .bool(saved.changed),
            "draft": .bool(!problems.isEmpty),
            "problems": .list(problems.map(\.json)),
        ]), text: text)
}

/// Reads an edge outcome argument.
extension EdgeOutcome: ExpressibleByArgument {}
extension NodeKind: ExpressibleByArgument {}

struct AddNode: ChartEditCommand {
    static let configuration = CommandConfiguration(commandName: "add-node", abstract: "Add a node.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The new node's id (D, A, C, W or E and a number).") var node: String
    @Argument(help: "decision, action, call, wait or end.") var kind: NodeKind
    @Option(help: "The question, what it does, or why it ends.") var label = ""
    @Option(
        help:
            "The behaviour in the chart notation: a predicate, calls separated by ';', a chart call, a wait map, an end outcome."
    )
    var body: String
    @Option(help: ArgumentHelp("Put the node after this one (default: at the end).", valueName: "node")) var after:
        String?
    @Option(help: ArgumentHelp("Target of the next edge.", valueName: "node")) var next: String?
    @Option(help: ArgumentHelp("Target of the yes edge.", valueName: "node")) var yes: String?
    @Option(help: ArgumentHelp("Target of the no edge.", valueName: "node")) var no: String?
    @Option(
        name: .customLong("from"),
        help: ArgumentHelp(
            "Point this edge (NODE:yes, NODE:no or NODE:next) at the new node; may be repeated.",
            valueName: "node:outcome"))
    var incoming: [String] = []

    func run() throws {
        var edges: [Edge] = []
        if let yes { edges.append(Edge(.yes, yes)) }
        if let no { edges.append(Edge(.no, no)) }
        if let next { edges.append(Edge(.next, next)) }
        var edits: [ChartEdit] = [
            .addNode(Node(id: node, kind: kind, label: label, body: body, edges: edges), after: after)
        ]
        for spec in incoming {
            let parts = spec.split(separator: ":").map(String.init)
            guard parts.count == 2, let outcome = EdgeOutcome(rawValue: parts[1]) else {
                throw ValidationError("--from takes NODE:yes, NODE:no or NODE:next, not '\(spec)'")
            }
            edits.append(.retarget(from: parts[0], outcome: outcome, to: node))
        }
        try applyEdits(edits, to: chart, options: options)
    }
}

struct RemoveNode: ChartEditCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-node", abstract: "Remove a node and its outgoing edges.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node to remove.") var node: String
    @Option(help: ArgumentHelp("Point the edges that led to the node at this one instead.", valueName: "node"))
    var redirect: String?

    func run() throws { try applyEdits([.removeNode(node, redirect: redirect)], to: chart, options: options) }
}

struct Relabel: ChartEditCommand {
    static let configuration = CommandConfiguration(
        commandName: "relabel", abstract: "Change a node's label (its question or description).")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node to relabel.") var node: String
    @Argument(help: "The new label.") var label: String

    func run() throws { try applyEdits([.relabel(node, label: label)], to: chart, options: options) }
}

struct SetBody: ChartEditCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-body",
        abstract:
            "Change a decision's predicate, an action's calls, a call, a wait or an end (parsed and type-checked).")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node whose body changes.") var node: String
    @Argument(help: "E.g. 'eq(device.dhcp_server.enabled, false)' or 'report(\"x\"); set(local.a, 1)'.") var body:
        String

    func run() throws { try applyEdits([.setBody(node, body: body)], to: chart, options: options) }
}

struct AddEdge: ChartEditCommand {
    static let configuration = CommandConfiguration(commandName: "add-edge", abstract: "Add an edge.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node the edge leaves.") var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome
    @Argument(help: "The node the edge leads to.") var to: String

    func run() throws { try applyEdits([.addEdge(from: from, outcome: outcome, to: to)], to: chart, options: options) }
}

struct RemoveEdge: ChartEditCommand {
    static let configuration = CommandConfiguration(commandName: "remove-edge", abstract: "Remove an edge.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node the edge leaves.") var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome

    func run() throws { try applyEdits([.removeEdge(from: from, outcome: outcome)], to: chart, options: options) }
}

struct Retarget: ChartEditCommand {
    static let configuration = CommandConfiguration(commandName: "retarget", abstract: "Point an edge at another node.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The node the edge leaves.") var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome
    @Argument(help: "The node the edge is to lead to.") var to: String

    func run() throws { try applyEdits([.retarget(from: from, outcome: outcome, to: to)], to: chart, options: options) }
}

struct Swap: ChartEditCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap", abstract: "Exchange a decision's yes and no targets.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The decision node.") var node: String

    func run() throws { try applyEdits([.swapBranches(node)], to: chart, options: options) }
}

struct Rename: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Give a chart a new id (its history follows).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The chart's new id.") var newID: String

    func run() throws {
        let db = try openStore(global)
        let all = try store { () throws(StoreError) in try db.loadAll() }
        let callers = all.filter { stored in
            stored.chart.id != chart
                && stored.chart.nodes.contains { node in
                    node.kind == .call
                        && (try? node.parsedBody()).map { if case .call(let c) = $0 { c.name == chart } else { false } }
                            == true
                }
        }
        if !callers.isEmpty {
            throw Failure(
                "\(callers.map(\.chart.id).joined(separator: ", ")) call\(callers.count == 1 ? "s" : "") \(chart); rename refused (copy it instead)",
                code: "refused", chart: chart)
        }
        let revision = try store { () throws(StoreError) in try db.rename(chart, to: newID) }
        Output.emit(
            global, json: .map(["chart": .string(newID), "revision": .int(revision), "was": .string(chart)]),
            text: "\(newID): revision \(revision) (was \(chart))\n")
    }
}

struct Copy: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy a chart to a new id, to experiment beside the original.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart to copy.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The copy's id.") var newID: String

    func run() throws {
        let db = try openStore(global)
        try store { () throws(StoreError) in try db.copy(chart, to: newID) }
        Output.emit(
            global, json: .map(["chart": .string(newID), "revision": .int(1), "copy_of": .string(chart)]),
            text: "\(newID): revision 1 (a copy of \(chart))\n")
    }
}

struct Bind: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind", abstract: "Choose the chart that runs for a protocol, role and trigger.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The protocol (dhcp, dns, ...).") var protocolName: String
    @Argument(help: "The role (client, server, ...).") var role: String
    @Argument(help: "The trigger (receive, timeout, ...).") var trigger: String
    @Argument(help: "The chart to run for them.", completion: .custom(chartIDs)) var chart: String

    func run() throws {
        let db = try openStore(global)
        try store { () throws(StoreError) in
            try db.bind(protocolName: protocolName, role: role, trigger: trigger, to: chart)
        }
        Output.emit(
            global,
            json: .map([
                "protocol": .string(protocolName), "role": .string(role), "trigger": .string(trigger),
                "chart": .string(chart),
            ]),
            text: "\(protocolName) \(role) \(trigger) -> \(chart)\n")
    }
}

struct History: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A chart's revisions: when, through which path (cli or sql), what changed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String

    func run() throws {
        let db = try openStore(global)
        let revisions = try store { () throws(StoreError) in try db.revisions(of: chart) }
        Output.emit(
            global,
            json: .list(
                revisions.map {
                    .map([
                        "revision": .int($0.revision), "at": .string($0.at), "via": .string($0.via),
                        "changes": .list($0.changes.map(Value.string)),
                    ])
                }),
            text: revisions.map { r in "r\(r.revision)  \(r.at)  \(r.via)\n" + r.changes.map { "    \($0)\n" }.joined()
            }.joined())
    }
}

struct Diff: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in a chart between two revisions; with --cases, what changed in behaviour.",
        discussion: """
            With --cases DIR the case files are run against both revisions (the other charts as they are now) and
            every case that reaches the chart and whose decision path, end, messages, reports or writes differ is
            listed with the first step where the paths part.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The older revision.") var from: Int
    @Argument(help: "The newer revision.") var to: Int
    @Option(help: "A folder of case files to run against both revisions.") var cases: String?

    func run() throws {
        let db = try openStore(global)
        let diff = try store { () throws(StoreError) in
            ChartDiff(old: try db.chart(chart, at: from), new: try db.chart(chart, at: to))
        }
        var json: [String: Value] = [
            "chart": .string(chart), "from": .int(from), "to": .int(to),
            "changes": .list(diff.changes.map { .string("\($0)") }),
        ]
        var text =
            "\(chart) r\(from) -> r\(to)\n" + (diff.isEmpty ? "    no differences\n" : "")
            + diff.changes.map { "    \($0)\n" }.joined()
        if let cases {
            let result = try BehaviourDiffRun.run(
                store: db, chart: chart, from: from, to: to, casesFolder: try caseFolder(cases))
            json["cases"] = .int(result.cases)
            json["behaviour"] = .list(result.differences.map(\.json))
            text +=
                "behaviour over \(result.cases) cases: \(result.differences.count) differ\n"
                + result.differences.map { BehaviourDiffRun.text($0) + "\n" }.joined()
        }
        Output.emit(global, json: .map(json), text: text)
    }
}

struct Revert: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert", abstract: "Make an earlier revision current again (itself a new revision).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.", completion: .custom(chartIDs)) var chart: String
    @Argument(help: "The revision whose content becomes current.") var revision: Int

    func run() throws {
        let db = try openStore(global)
        let now = try store { () throws(StoreError) in try db.revert(chart, to: revision) }
        Output.emit(
            global, json: .map(["chart": .string(chart), "revision": .int(now), "content_of": .int(revision)]),
            text: "\(chart): revision \(now) (the content of r\(revision))\n")
    }
}
