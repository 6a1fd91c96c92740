import FlowchartModel

/// One node a run visited, as much of it as diagrams, coverage and behaviour diffs need.
///
/// Built from the engine's trace steps or from a stored trace (`run --json`'s `steps`), so the
/// same analysis works on a run made now and on one recorded earlier.
public struct Visit: Sendable, Hashable {
    /// The chart the node belongs to.
    public let flowchart: String
    /// The node id (`D3`, `A8`, ...).
    public let node: String
    /// Call depth: 0 for the chart the run started, 1 for a chart it called, ...
    public let depth: Int
    /// `yes`/`no` for a decision or wait; for a call with branches, `yes` when the callee ended
    /// `ok` and `no` otherwise; nil for other nodes.
    public let outcome: String?

    public init(flowchart: String, node: String, depth: Int, outcome: String?) {
        self.flowchart = flowchart
        self.node = node
        self.depth = depth
        self.outcome = outcome
    }

    /// The visits of a trace in the JSON form of the trace contract (`{"steps": [...]}`), or of
    /// its `steps` list alone.
    public static func list(fromTrace trace: Value) throws(InsightError) -> [Visit] {
        let steps: [Value]
        switch trace {
        case .list(let l): steps = l
        case .map(let m):
            guard case .list(let l)? = m["steps"] else { throw InsightError("a trace must hold a 'steps' list") }
            steps = l
        default: throw InsightError("a trace must be a JSON object with 'steps' or a list of steps")
        }
        var out: [Visit] = []
        out.reserveCapacity(steps.count)
        for (i, step) in steps.enumerated() {
            guard let chart = step["flowchart"].string, let node = step["node"].string else {
                throw InsightError("step \(i + 1) of the trace has no 'flowchart' or 'node'")
            }
            let depth = step["depth"].number.flatMap { Int(exactly: $0) } ?? 0
            var outcome = step["outcome"].string
            if outcome == nil, step["kind"].string == "call", let end = step["end"].string {
                outcome = end == "ok" ? "yes" : "no"
            }
            out.append(Visit(flowchart: chart, node: node, depth: max(0, depth), outcome: outcome))
        }
        return out
    }
}

/// An edge of a chart, named by the node it leaves and the way it leaves (`D3` `no`).
public struct EdgeRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let from: String
    public let outcome: EdgeOutcome

    public init(from: String, outcome: EdgeOutcome) {
        self.from = from
        self.outcome = outcome
    }

    public var description: String { outcome == .next ? "\(from)->" : "\(from):\(outcome.rawValue)" }

    public static func < (a: EdgeRef, b: EdgeRef) -> Bool {
        (a.from, a.outcome.rawValue) < (b.from, b.outcome.rawValue)
    }
}

/// A problem reading a trace, a case or a scenario for analysis.
public struct InsightError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Visit {
    /// The visits of a path in the test-case notation (`D1:yes`, `A4`, `dns.search_recursively/D1:yes`),
    /// as the simulator's event list keeps them; `top` is the chart the run started. The call depth
    /// is rebuilt from the node kinds: a call node (`C…`) opens a level, an end node (`E…`) of a
    /// called chart closes one.
    public static func list(fromPath path: [String], top: String) -> [Visit] {
        var out: [Visit] = []
        out.reserveCapacity(path.count)
        var depth = 0
        for entry in path {
            var chart = top
            var rest = Substring(entry)
            if let slash = entry.lastIndex(of: "/") {
                chart = String(entry[..<slash])
                rest = entry[entry.index(after: slash)...]
            }
            var node = rest
            var outcome: String?
            if let colon = rest.lastIndex(of: ":") {
                node = rest[..<colon]
                outcome = String(rest[rest.index(after: colon)...])
            }
            out.append(Visit(flowchart: chart, node: String(node), depth: depth, outcome: outcome))
            if node.first == "C" {
                depth += 1
            } else if node.first == "E", depth > 0 {
                depth -= 1
            }
        }
        return out
    }
}
