import ArgumentParser
import FlowEngine
import FlowStore
import FlowchartModel
import Protocols

/// `l7flow edit ...`: changes to one chart, each one transaction and one revision. An edit that
/// would leave the chart invalid is refused with the validator's diagnostics, unless `--draft`.
struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change a chart: nodes, bodies, edges, ids, bindings. Each edit is one revision.",
        subcommands: [AddNode.self, RemoveNode.self, Relabel.self, SetBody.self, AddEdge.self, RemoveEdge.self, Retarget.self,
                      Swap.self, Rename.self, Copy.self, Bind.self]
    )
}

/// Options every chart edit takes.
struct EditOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Store the chart even if the edit leaves it invalid; a draft does not run until it validates.")
    var draft = false
}

/// Applies edits to a chart, validates it against the other charts, and saves it as one new
/// revision, all under the database's write lock so that no concurrent edit is lost.
func applyEdits(_ edits: [ChartEdit], to id: String, options: EditOptions) throws {
    let store = try openStore(options.global)
    var problems: [Diagnostic] = []
    let revision: Int
    do {
        revision = try store.update(id) { current, others in
            var chart = current
            for edit in edits { try edit.apply(to: &chart) }
            let validator = Validator(catalog: Registry.l7flow.catalog, charts: others + [chart])
            problems = validator.validate(chart).filter { $0.severity == .error }
            if !problems.isEmpty && !options.draft {
                throw Failure("the edit would leave \(id) invalid, so nothing was changed (use --draft to store it anyway):\n"
                              + problems.map(\.description).joined(separator: "\n"))
            }
            return (chart, !problems.isEmpty)
        }
    } catch {
        if case .chartNotFound = error { throw Failure("no chart '\(id)' in \(options.global.databasePath) (see 'l7flow list')") }
        throw Failure("\(error)")
    }
    print("\(id): revision \(revision)\(problems.isEmpty ? "" : " (draft: \(problems.count) problem\(problems.count == 1 ? "" : "s") to fix before it runs)")")
    for p in problems { print("  \(p)") }
}

/// Reads an edge outcome argument.
extension EdgeOutcome: ExpressibleByArgument {}
extension NodeKind: ExpressibleByArgument {}

struct AddNode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-node", abstract: "Add a node.")
    @OptionGroup var options: EditOptions
    @Argument(help: "The chart id.") var chart: String
    @Argument(help: "The new node's id (D, A, C, W or E and a number).") var node: String
    @Argument(help: "decision, action, call, wait or end.") var kind: NodeKind
    @Option(help: "The question, what it does, or why it ends.") var label = ""
    @Option(help: "The behaviour in the chart notation: a predicate, calls separated by ';', a chart call, a wait map, an end outcome.")
    var body: String
    @Option(help: "Put the node after this one (default: at the end).") var after: String?
    @Option(help: "Target of the next edge.") var next: String?
    @Option(help: "Target of the yes edge.") var yes: String?
    @Option(help: "Target of the no edge.") var no: String?
    @Option(name: .customLong("from"), help: "Point this edge (NODE:yes, NODE:no or NODE:next) at the new node; may be repeated.")
    var incoming: [String] = []

    func run() throws {
        var edges: [Edge] = []
        if let yes { edges.append(Edge(.yes, yes)) }
        if let no { edges.append(Edge(.no, no)) }
        if let next { edges.append(Edge(.next, next)) }
        var edits: [ChartEdit] = [.addNode(Node(id: node, kind: kind, label: label, body: body, edges: edges), after: after)]
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

struct RemoveNode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-node", abstract: "Remove a node and its outgoing edges.")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var node: String
    @Option(help: "Point the edges that led to the node at this one instead.") var redirect: String?

    func run() throws { try applyEdits([.removeNode(node, redirect: redirect)], to: chart, options: options) }
}

struct Relabel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change a node's label (its question or description).")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var node: String
    @Argument var label: String

    func run() throws { try applyEdits([.relabel(node, label: label)], to: chart, options: options) }
}

struct SetBody: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-body",
        abstract: "Change a decision's predicate, an action's calls, a call, a wait or an end (parsed and type-checked).")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var node: String
    @Argument(help: "E.g. 'eq(device.dhcp_server.enabled, false)' or 'report(\"x\"); set(local.a, 1)'.") var body: String

    func run() throws { try applyEdits([.setBody(node, body: body)], to: chart, options: options) }
}

struct AddEdge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-edge", abstract: "Add an edge.")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome
    @Argument var to: String

    func run() throws { try applyEdits([.addEdge(from: from, outcome: outcome, to: to)], to: chart, options: options) }
}

struct RemoveEdge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-edge", abstract: "Remove an edge.")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome

    func run() throws { try applyEdits([.removeEdge(from: from, outcome: outcome)], to: chart, options: options) }
}

struct Retarget: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Point an edge at another node.")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var from: String
    @Argument(help: "yes, no or next.") var outcome: EdgeOutcome
    @Argument var to: String

    func run() throws { try applyEdits([.retarget(from: from, outcome: outcome, to: to)], to: chart, options: options) }
}

struct Swap: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Exchange a decision's yes and no targets.")
    @OptionGroup var options: EditOptions
    @Argument var chart: String
    @Argument var node: String

    func run() throws { try applyEdits([.swapBranches(node)], to: chart, options: options) }
}

struct Rename: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Give a chart a new id (its history follows).")
    @OptionGroup var global: GlobalOptions
    @Argument var chart: String
    @Argument var newID: String

    func run() throws {
        let store = try openStore(global)
        let all = try loadAll(store)
        let callers = all.filter { stored in
            stored.chart.id != chart && stored.chart.nodes.contains { node in
                node.kind == .call && (try? node.parsedBody()).map { if case .call(let c) = $0 { c.name == chart } else { false } } == true
            }
        }
        if !callers.isEmpty {
            throw Failure("\(callers.map(\.chart.id).joined(separator: ", ")) call\(callers.count == 1 ? "s" : "") \(chart); rename refused (copy it instead)")
        }
        do { print("\(newID): revision \(try store.rename(chart, to: newID)) (was \(chart))") } catch { throw Failure("\(error)") }
    }
}

struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy a chart to a new id, to experiment beside the original.")
    @OptionGroup var global: GlobalOptions
    @Argument var chart: String
    @Argument var newID: String

    func run() throws {
        do { try openStore(global).copy(chart, to: newID) } catch let f as Failure { throw f } catch { throw Failure("\(error)") }
        print("\(newID): revision 1 (a copy of \(chart))")
    }
}

struct Bind: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Choose the chart that runs for a protocol, role and trigger.")
    @OptionGroup var global: GlobalOptions
    @Argument var protocolName: String
    @Argument var role: String
    @Argument var trigger: String
    @Argument var chart: String

    func run() throws {
        do { try openStore(global).bind(protocolName: protocolName, role: role, trigger: trigger, to: chart) } catch let f as Failure { throw f } catch {
            throw Failure("\(error)")
        }
        print("\(protocolName) \(role) \(trigger) -> \(chart)")
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A chart's revisions: when, through which path (cli or sql), what changed.")
    @OptionGroup var global: GlobalOptions
    @Argument var chart: String

    func run() throws {
        let revisions: [RevisionRecord]
        do { revisions = try openStore(global).revisions(of: chart) } catch { throw Failure("\(error)") }
        for r in revisions {
            print("r\(r.revision)  \(r.at)  \(r.via)")
            for line in r.changes { print("    \(line)") }
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed in a chart between two revisions; with --cases, what changed in behaviour.",
        discussion: """
            With --cases DIR the case files are run against both revisions (the other charts as they are now) and
            every case that reaches the chart and whose decision path, end, messages, reports or writes differ is
            listed with the first step where the paths part.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The chart id.") var chart: String
    @Argument(help: "The older revision.") var from: Int
    @Argument(help: "The newer revision.") var to: Int
    @Option(help: "A folder of case files to run against both revisions.") var cases: String?

    func run() throws {
        let store = try openStore(global)
        let diff: ChartDiff
        do { diff = ChartDiff(old: try store.chart(chart, at: from), new: try store.chart(chart, at: to)) } catch { throw Failure("\(error)") }
        print("\(chart) r\(from) -> r\(to)")
        if diff.isEmpty { print("    no differences") }
        for change in diff.changes { print("    \(change)") }
        guard let cases else { return }
        let result = try BehaviourDiffRun.run(store: store, chart: chart, from: from, to: to, casesFolder: try caseFolder(cases))
        print("behaviour over \(result.cases) cases: \(result.differences.count) differ")
        for d in result.differences { print(BehaviourDiffRun.text(d)) }
    }
}

struct Revert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make an earlier revision current again (itself a new revision).")
    @OptionGroup var global: GlobalOptions
    @Argument var chart: String
    @Argument var revision: Int

    func run() throws {
        do { print("\(chart): revision \(try openStore(global).revert(chart, to: revision)) (the content of r\(revision))") } catch {
            throw Failure("\(error)")
        }
    }
}
