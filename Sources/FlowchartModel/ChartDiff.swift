/// The differences between two versions of a chart, in a form a person reads.
public struct ChartDiff: Sendable, Hashable {
    /// One difference.
    public enum Change: Sendable, Hashable, CustomStringConvertible {
        case header(field: String, old: String, new: String)
        case nodeAdded(Node)
        case nodeRemoved(Node)
        case nodeChanged(id: String, field: String, old: String, new: String)
        case edgeAdded(from: String, Edge)
        case edgeRemoved(from: String, Edge)
        case edgeChanged(from: String, outcome: EdgeOutcome, old: String, new: String)

        public var description: String {
            func edge(_ from: String, _ e: Edge) -> String {
                e.outcome == .next ? "\(from) -> \(e.target)" : "\(from) \(e.outcome.rawValue) -> \(e.target)"
            }
            switch self {
            case .header(let field, let old, let new): return "~ \(field): \(quoted(old)) -> \(quoted(new))"
            case .nodeAdded(let n):
                return "+ node \(ChartText.format(Node(id: n.id, kind: n.kind, label: n.label, body: n.body)))"
            case .nodeRemoved(let n):
                return "- node \(ChartText.format(Node(id: n.id, kind: n.kind, label: n.label, body: n.body)))"
            case .nodeChanged(let id, let field, let old, let new):
                return "~ node \(id) \(field): \(quoted(old)) -> \(quoted(new))"
            case .edgeAdded(let from, let e): return "+ edge \(edge(from, e))"
            case .edgeRemoved(let from, let e): return "- edge \(edge(from, e))"
            case .edgeChanged(let from, let outcome, let old, let new):
                return "~ edge \(from) \(outcome == .next ? "" : outcome.rawValue + " ")-> \(new) (was \(old))"
            }
        }

        private func quoted(_ s: String) -> String {
            "\"" + s.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n") + "\""
        }
    }

    public let changes: [Change]

    /// Compares `old` with `new`: header fields, then nodes (added, removed, changed), then edges.
    public init(old: Chart, new: Chart) {
        var out: [Change] = []
        let fields: [(String, KeyPath<Chart, String>)] = [
            ("id", \.id), ("title", \.title), ("heading", \.heading), ("protocol", \.protocolName), ("role", \.role),
            ("trigger", \.trigger), ("source", \.source), ("args", \.arguments), ("description", \.description),
        ]
        for (name, path) in fields where old[keyPath: path] != new[keyPath: path] {
            out.append(.header(field: name, old: old[keyPath: path], new: new[keyPath: path]))
        }
        let oldIDs = Set(old.nodes.map(\.id))
        let newIDs = Set(new.nodes.map(\.id))
        for n in old.nodes where !newIDs.contains(n.id) { out.append(.nodeRemoved(n)) }
        for n in new.nodes where !oldIDs.contains(n.id) { out.append(.nodeAdded(n)) }
        for n in new.nodes {
            guard let o = old.node(n.id) else { continue }
            if o.kind != n.kind {
                out.append(.nodeChanged(id: n.id, field: "kind", old: o.kind.rawValue, new: n.kind.rawValue))
            }
            if o.label != n.label { out.append(.nodeChanged(id: n.id, field: "label", old: o.label, new: n.label)) }
            if o.body != n.body { out.append(.nodeChanged(id: n.id, field: "body", old: o.body, new: n.body)) }
        }
        for n in new.nodes {
            let before = old.node(n.id)?.edges ?? []
            for e in n.edges {
                if let b = before.first(where: { $0.outcome == e.outcome }) {
                    if b.target != e.target {
                        out.append(.edgeChanged(from: n.id, outcome: e.outcome, old: b.target, new: e.target))
                    }
                } else {
                    out.append(.edgeAdded(from: n.id, e))
                }
            }
            for b in before where !n.edges.contains(where: { $0.outcome == b.outcome }) {
                out.append(.edgeRemoved(from: n.id, b))
            }
        }
        for o in old.nodes where !newIDs.contains(o.id) {
            for e in o.edges { out.append(.edgeRemoved(from: o.id, e)) }
        }
        changes = out
    }

    public var isEmpty: Bool { changes.isEmpty }
}
