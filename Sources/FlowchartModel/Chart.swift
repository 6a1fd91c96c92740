/// A flowchart as stored: header fields and nodes, each node's behaviour in the text notation.
public struct Chart: Sendable, Hashable {
    /// `<protocol>.<role>.<trigger>`, or `<protocol>.<name>` for a helper chart.
    public var id: String
    /// A one-line title, e.g. "DHCP client receives a packet".
    public var title: String
    /// The Packet Tracer help-page heading the chart models (empty when it has none).
    public var heading: String
    /// The protocol family, e.g. `dhcp`.
    public var protocolName: String
    /// The role that runs it, e.g. `client`, `server`, or `helper`.
    public var role: String
    /// What starts it, e.g. `receive`, `timeout`, `discover`.
    public var trigger: String
    /// The RFCs and documents the chart follows.
    public var source: String
    /// Free prose: choices made where the spec is silent, notes for readers.
    public var description: String
    /// Declared arguments in the notation `name: type = default, ...` (empty when none).
    public var arguments: String
    /// The nodes in order; the first is the entry.
    public var nodes: [Node]

    public init(
        id: String, title: String = "", heading: String = "", protocolName: String, role: String,
        trigger: String, source: String = "", description: String = "", arguments: String = "",
        nodes: [Node] = []
    ) {
        self.id = id
        self.title = title
        self.heading = heading
        self.protocolName = protocolName
        self.role = role
        self.trigger = trigger
        self.source = source
        self.description = description
        self.arguments = arguments
        self.nodes = nodes
    }

    /// The most nodes a chart may have (the parser and the validator refuse more).
    public static let maxNodes = 100_000
    /// The longest chart text the parser reads, in bytes.
    public static let maxTextBytes = 16 << 20

    /// The node with id `id`, if any.
    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    /// Number of edges over all nodes.
    public var edgeCount: Int { nodes.reduce(0) { $0 + $1.edges.count } }
}

/// The five node kinds of `CONVENTIONS.md`.
public enum NodeKind: String, Sendable, Hashable, CaseIterable {
    case decision, action, call, wait, end

    /// The id prefix that names this kind (`D`, `A`, `C`, `W`, `E`).
    public var prefix: Character {
        switch self {
        case .decision: "D"
        case .action: "A"
        case .call: "C"
        case .wait: "W"
        case .end: "E"
        }
    }
}

/// One node of a chart.
public struct Node: Sendable, Hashable {
    /// `D1`, `A8`, `E3`, ...: unique within the chart; the prefix gives the kind.
    public var id: String
    public var kind: NodeKind
    /// The question (decision), what it does (action, wait) or why it ends (end).
    public var label: String
    /// The behaviour in the text notation: a predicate call (decision), calls separated by `;`
    /// (action), `chart(args) as path` (call), a wait map (wait), or an outcome (end).
    public var body: String
    /// Outgoing edges in the order written.
    public var edges: [Edge]

    public init(id: String, kind: NodeKind, label: String = "", body: String, edges: [Edge] = []) {
        self.id = id
        self.kind = kind
        self.label = label
        self.body = body
        self.edges = edges
    }

    /// The target of the edge taken on `outcome`, if any.
    public func target(_ outcome: EdgeOutcome) -> String? { edges.first { $0.outcome == outcome }?.target }
}

/// Which way an edge leaves its node.
public enum EdgeOutcome: String, Sendable, Hashable, CaseIterable {
    case yes, no, next
}

/// An edge: `yes -> X`, `no -> Y` or `-> Z`.
public struct Edge: Sendable, Hashable {
    public var outcome: EdgeOutcome
    public var target: String
    public init(_ outcome: EdgeOutcome, _ target: String) {
        self.outcome = outcome
        self.target = target
    }
}
