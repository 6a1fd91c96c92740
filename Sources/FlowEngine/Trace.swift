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

/// What a trace shows of a node that does not change from visit to visit; made once, when the
/// chart is compiled, and shared by every step that visits the node.
final class TraceSite: Sendable {
    let flowchart: String
    let node: String
    let kind: NodeKind
    let label: String

    init(flowchart: String, node: String, kind: NodeKind, label: String) {
        self.flowchart = flowchart
        self.node = node
        self.kind = kind
        self.label = label
    }
}

/// One node visited, as the trace shows it. A step holds a reference to its node's fixed facts
/// and only what this visit adds, so a long traced run costs little per step.
public struct TraceStep: Sendable {
    let site: TraceSite
    private let callDepth: Int32
    /// For decisions and waits: whether the `yes` edge was taken.
    private let taken: Bool?
    /// Context values a decision read, in order of first reading.
    public var reads: [(String, Value)]
    /// What an action changed or did; for a decision, what its `as` stored.
    public var effects: [Value]
    /// For a call: the callee and how it ended; for an end: its outcome.
    public var detail: [String: Value]
    /// Virtual time when the node ran.
    public let at: Double

    init(
        site: TraceSite, depth: Int, taken: Bool?, reads: [(String, Value)], effects: [Value], detail: [String: Value],
        at: Double
    ) {
        self.site = site
        callDepth = Int32(clamping: depth)
        self.taken = taken
        self.reads = reads
        self.effects = effects
        self.detail = detail
        self.at = at
    }

    public var flowchart: String { site.flowchart }
    public var node: String { site.node }
    public var kind: NodeKind { site.kind }
    public var label: String { site.label }
    /// How deep the node's chart was called (0 for the chart run).
    public var depth: Int { Int(callDepth) }
    /// `yes`/`no` for decisions and waits.
    public var outcome: String? { taken.map { $0 ? "yes" : "no" } }

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
