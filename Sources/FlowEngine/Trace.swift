import FlowchartModel

/// A message a run sent.
public struct SentMessage: Sendable, Hashable {
    public let type: String
    /// `ip:port`, or `[v6]:port` for IPv6.
    public let to: String
    /// Virtual time of sending.
    public let at: Double
    /// The whole message: protocol fields and addressing.
    public let fields: Value
}

/// A signal a run raised.
public struct Signal: Sendable, Hashable {
    public let name: String
    public let value: Value
}

/// One node visited, as the trace shows it.
public struct TraceStep: Sendable {
    public let flowchart: String
    public let node: String
    public let kind: NodeKind
    public let depth: Int
    public let label: String
    /// `yes`/`no` for decisions and waits.
    public var outcome: String?
    /// Context values a decision read, in order of first reading.
    public var reads: [(String, Value)]
    /// What an action changed or did; for a decision, what its `as` stored.
    public var effects: [Value]
    /// For a call: the callee and how it ended; for an end: its outcome.
    public var detail: [String: Value]
    /// Virtual time when the node ran.
    public let at: Double

    /// The step in the spec's path notation: `D1:yes`, `A4`, and `chart/D1:yes` for a called chart.
    public func pathEntry(top: String) -> String {
        let id = outcome.map { "\(node):\($0)" } ?? node
        return flowchart == top && depth == 0 ? id : "\(flowchart)/\(id)"
    }
}

/// Collects the steps of a traced run.
final class TraceRecorder {
    var steps: [TraceStep]

    /// Room for a typical run's steps from the start, so recording rarely grows the list.
    init() {
        steps = []
        steps.reserveCapacity(16)
    }
}
