import FlowchartModel

/// What runs did inside one chart: which nodes they visited and which edges they took, how often,
/// and (for a single run) in which order. Diagrams light the taken path from it; coverage counts
/// from it.
public struct PathOverlay: Sendable {
    /// The chart the overlay belongs to.
    public let chartID: String
    /// Runs added (each may visit the chart several times, or not at all).
    public private(set) var runs = 0
    /// Visits per node over all runs.
    public private(set) var nodeHits: [String: Int] = [:]
    /// Times each edge was taken over all runs.
    public private(set) var edgeHits: [EdgeRef: Int] = [:]
    /// Step numbers (1, 2, ...) of each node's visits, counted over the chart's own steps in the
    /// first run added; what a lit diagram of one run shows.
    public private(set) var nodeOrder: [String: [Int]] = [:]
    /// Step numbers of each edge taken in the first run: the number of the step it leads to.
    public private(set) var edgeOrder: [EdgeRef: [Int]] = [:]

    private let edgesByNode: [String: [Edge]]

    public init(chart: Chart) {
        chartID = chart.id
        edgesByNode = Dictionary(chart.nodes.map { ($0.id, $0.edges) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether any run visited the chart.
    public var isEmpty: Bool { nodeHits.isEmpty }

    /// Adds one run's visits (all charts of the run; only this chart's are counted).
    ///
    /// An edge is taken from a node to the next node visited in the same call of the same chart
    /// (steps of charts it called in between are skipped); when both of a decision's edges lead
    /// to that node, the outcome the trace recorded decides which.
    public mutating func add(run visits: [Visit]) {
        let first = runs == 0
        runs += 1
        var counter = 0
        // The last visit at each depth whose frame may still continue.
        var open: [Visit?] = []
        for visit in visits {
            if visit.depth >= open.count {
                open.append(contentsOf: repeatElement(nil, count: visit.depth - open.count + 1))
            }
            let previous = open[visit.depth]
            open.removeSubrange((visit.depth + 1)...)
            open[visit.depth] = visit
            guard visit.flowchart == chartID else { continue }
            counter += 1
            nodeHits[visit.node, default: 0] += 1
            if first { nodeOrder[visit.node, default: []].append(counter) }
            guard let previous, previous.flowchart == chartID, let edge = edge(from: previous, to: visit.node) else {
                continue
            }
            edgeHits[edge, default: 0] += 1
            if first { edgeOrder[edge, default: []].append(counter) }
        }
    }

    /// Adds an overlay of the same chart (runs and hit counts; the order stays the first's).
    public mutating func merge(_ other: PathOverlay) {
        guard other.chartID == chartID else { return }
        if runs == 0 {
            nodeOrder = other.nodeOrder
            edgeOrder = other.edgeOrder
        }
        runs += other.runs
        nodeHits.merge(other.nodeHits, uniquingKeysWith: +)
        edgeHits.merge(other.edgeHits, uniquingKeysWith: +)
    }

    private func edge(from previous: Visit, to target: String) -> EdgeRef? {
        let edges = edgesByNode[previous.node] ?? []
        let candidates = edges.filter { $0.target == target }
        guard !candidates.isEmpty else { return nil }
        let chosen = candidates.first { $0.outcome.rawValue == previous.outcome } ?? candidates[0]
        return EdgeRef(from: previous.node, outcome: chosen.outcome)
    }
}

/// Overlays for every chart a set of runs visited.
public struct OverlaySet: Sendable {
    /// Chart id → its overlay, for every chart given.
    public private(set) var overlays: [String: PathOverlay]

    public init(charts: [Chart]) {
        overlays = Dictionary(charts.map { ($0.id, PathOverlay(chart: $0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds a run to the overlay of every chart it visited (only of those in `only`, when given);
    /// returns the charts it visited that were not given (left out of the overlays).
    @discardableResult
    public mutating func add(run visits: [Visit], only: Set<String>? = nil) -> Set<String> {
        var unknown: Set<String> = []
        let visited = Set(visits.map(\.flowchart))
        for id in visited where only?.contains(id) ?? true {
            if overlays[id] == nil { unknown.insert(id) } else { overlays[id]!.add(run: visits) }
        }
        return unknown
    }
}
