import FlowchartModel

/// A chart as stored, with its revision.
public struct StoredChart: Sendable, Hashable {
    public let chart: Chart
    public let revision: Int
    /// A draft is stored but does not run until it validates.
    public let draft: Bool
}

/// A line of `l7flow list`.
public struct ChartSummary: Sendable, Hashable {
    public let id: String
    public let protocolName: String
    public let role: String
    public let trigger: String
    public let nodeCount: Int
    public let edgeCount: Int
    public let revision: Int
    public let draft: Bool
}

/// Which chart runs for a protocol, role and trigger.
public struct Binding: Sendable, Hashable {
    public let protocolName: String
    public let role: String
    public let trigger: String
    public let chartID: String
}

/// One logged change to a chart.
public struct ChangeRecord: Sendable, Hashable {
    /// Its place in the log of every chart.
    public let seq: Int
    public let chartID: String
    public let revision: Int
    /// When (UTC, ISO 8601).
    public let at: String
    /// `cli` or `sql`.
    public let via: String
    /// `node added`, `node changed`, `edge removed`, `chart changed`, ...
    public let what: String
    /// The node (for an edge, the node it leaves).
    public let node: String?
    /// The row before and after, one readable line (JSON for a chart's header).
    public let old: String?
    public let new: String?
}

/// What bringing the bundled charts up to date did.
public struct BundleUpdate: Sendable, Hashable {
    /// Bundled charts that were missing and were added.
    public var added: [String] = []
    /// Charts nobody had edited, brought to the newer bundled version.
    public var updated: [String] = []
    /// Charts with a newer bundled version that were left alone because they were edited.
    public var kept: [String] = []
    /// Rows (nodes, edges, bindings) a hand edit had left without their chart or node, removed.
    public var orphansRemoved: [String] = []

    public init(added: [String] = [], updated: [String] = [], kept: [String] = [], orphansRemoved: [String] = []) {
        self.added = added
        self.updated = updated
        self.kept = kept
        self.orphansRemoved = orphansRemoved
    }
}

/// What a change under the write lock stored.
public struct Saved: Sendable, Hashable {
    /// The chart's revision after the change (the same as before when nothing changed).
    public let revision: Int
    /// False when the change left the chart exactly as it was, so no revision was made.
    public let changed: Bool
}
