/// One change a person makes to a chart: the operations of `l7flow edit`. Applying an edit
/// changes the chart value; whether the result is valid is the validator's question.
public enum ChartEdit: Sendable, Hashable {
    /// Adds a node after `after` (or at the end) with the given edges.
    case addNode(Node, after: String?)
    /// Removes a node and its outgoing edges; edges into it are pointed at `redirect` when given.
    case removeNode(String, redirect: String?)
    case relabel(String, label: String)
    /// Replaces a node's behaviour: a decision's predicate, an action's calls, a call, a wait map or an end outcome.
    case setBody(String, body: String)
    case addEdge(from: String, outcome: EdgeOutcome, to: String)
    case removeEdge(from: String, outcome: EdgeOutcome)
    case retarget(from: String, outcome: EdgeOutcome, to: String)
    /// Exchanges a decision's (or wait's, or call's) yes and no targets.
    case swapBranches(String)

    /// Applies the edit; fails when it names a node or edge that is not there, or would duplicate one.
    public func apply(to chart: inout Chart) throws(EditError) {
        func index(_ id: String) throws(EditError) -> Int {
            guard let i = chart.nodes.firstIndex(where: { $0.id == id }) else {
                throw EditError("\(chart.id) has no node \(id)")
            }
            return i
        }
        func edgeIndex(_ node: Int, _ outcome: EdgeOutcome) throws(EditError) -> Int {
            guard let e = chart.nodes[node].edges.firstIndex(where: { $0.outcome == outcome }) else {
                throw EditError("\(chart.id) \(chart.nodes[node].id) has no \(outcome.rawValue) edge")
            }
            return e
        }
        switch self {
        case .addNode(let node, let after):
            if chart.nodes.contains(where: { $0.id == node.id }) {
                throw EditError("\(chart.id) already has a node \(node.id)")
            }
            if let after { chart.nodes.insert(node, at: try index(after) + 1) } else { chart.nodes.append(node) }
        case .removeNode(let id, let redirect):
            let i = try index(id)
            if i == 0 && chart.nodes.count > 1, redirect == nil {
                throw EditError(
                    "\(id) is the entry node of \(chart.id); removing it would make \(chart.nodes[1].id) the entry")
            }
            if let redirect { _ = try index(redirect) }
            chart.nodes.remove(at: i)
            for n in chart.nodes.indices {
                for e in chart.nodes[n].edges.indices where chart.nodes[n].edges[e].target == id {
                    if let redirect { chart.nodes[n].edges[e].target = redirect }
                }
            }
        case .relabel(let id, let label):
            chart.nodes[try index(id)].label = label
        case .setBody(let id, let body):
            chart.nodes[try index(id)].body = body
        case .addEdge(let from, let outcome, let to):
            let i = try index(from)
            if chart.nodes[i].edges.contains(where: { $0.outcome == outcome }) {
                throw EditError("\(chart.id) \(from) already has a \(outcome.rawValue) edge (use retarget)")
            }
            chart.nodes[i].edges.append(Edge(outcome, to))
            chart.nodes[i].edges.sort {
                EdgeOutcome.allCases.firstIndex(of: $0.outcome)! < EdgeOutcome.allCases.firstIndex(of: $1.outcome)!
            }
        case .removeEdge(let from, let outcome):
            let i = try index(from)
            chart.nodes[i].edges.remove(at: try edgeIndex(i, outcome))
        case .retarget(let from, let outcome, let to):
            let i = try index(from)
            chart.nodes[i].edges[try edgeIndex(i, outcome)].target = to
        case .swapBranches(let id):
            let i = try index(id)
            let yes = try edgeIndex(i, .yes)
            let no = try edgeIndex(i, .no)
            let target = chart.nodes[i].edges[yes].target
            chart.nodes[i].edges[yes].target = chart.nodes[i].edges[no].target
            chart.nodes[i].edges[no].target = target
        }
    }
}

/// An edit that names something the chart does not have.
public struct EditError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
