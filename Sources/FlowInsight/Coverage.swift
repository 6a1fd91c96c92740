import FlowchartModel

/// How much of one chart a set of runs exercised: nodes visited, edges taken, and decision (and
/// wait) outcomes taken, with what was never reached.
public struct ChartCoverage: Sendable {
    /// A count of items reached out of those there are.
    public struct Ratio: Sendable, Equatable {
        public let hit: Int
        public let total: Int
        public init(hit: Int, total: Int) {
            self.hit = hit
            self.total = total
        }
        /// Percent reached; 100 when there is nothing to reach.
        public var percent: Double { total == 0 ? 100 : Double(hit) * 100 / Double(total) }
    }

    public let chartID: String
    public let runs: Int
    public let nodes: Ratio
    public let edges: Ratio
    /// Each decision and wait has two outcomes, `yes` and `no`.
    public let outcomes: Ratio
    /// Nodes no run visited, in chart order.
    public let unvisitedNodes: [String]
    /// Edges no run took, in chart order (`D3:no`, `A4->`).
    public let untakenEdges: [EdgeRef]
    /// Decision and wait outcomes no run took, in chart order (`D3:no`).
    public let missingOutcomes: [String]

    public init(chart: Chart, overlay: PathOverlay) {
        chartID = chart.id
        runs = overlay.runs
        let visited = chart.nodes.filter { (overlay.nodeHits[$0.id] ?? 0) > 0 }
        nodes = Ratio(hit: visited.count, total: chart.nodes.count)
        unvisitedNodes = chart.nodes.filter { (overlay.nodeHits[$0.id] ?? 0) == 0 }.map(\.id)
        let allEdges = chart.nodes.flatMap { node in node.edges.map { EdgeRef(from: node.id, outcome: $0.outcome) } }
        untakenEdges = allEdges.filter { (overlay.edgeHits[$0] ?? 0) == 0 }
        edges = Ratio(hit: allEdges.count - untakenEdges.count, total: allEdges.count)
        var missing: [String] = []
        var total = 0
        for node in chart.nodes where node.kind == .decision || node.kind == .wait {
            for outcome in [EdgeOutcome.yes, .no] {
                total += 1
                if (overlay.edgeHits[EdgeRef(from: node.id, outcome: outcome)] ?? 0) == 0 {
                    missing.append("\(node.id):\(outcome.rawValue)")
                }
            }
        }
        missingOutcomes = missing
        outcomes = Ratio(hit: total - missing.count, total: total)
    }

    /// The coverage as JSON.
    public var json: Value {
        func ratio(_ r: Ratio) -> Value {
            .map(["hit": .int(r.hit), "total": .int(r.total), "percent": .double((r.percent * 10).rounded() / 10)])
        }
        return .map([
            "flowchart": .string(chartID), "runs": .int(runs),
            "nodes": ratio(nodes), "edges": ratio(edges), "outcomes": ratio(outcomes),
            "unvisited_nodes": .list(unvisitedNodes.map(Value.string)),
            "untaken_edges": .list(untakenEdges.map { .string($0.description) }),
            "missing_outcomes": .list(missingOutcomes.map(Value.string)),
        ])
    }
}

/// Coverage of many charts, with totals.
public struct CoverageReport: Sendable {
    /// One entry per chart, in the order given.
    public let charts: [ChartCoverage]

    public init(charts: [Chart], overlays: OverlaySet) {
        self.charts = charts.map {
            ChartCoverage(chart: $0, overlay: overlays.overlays[$0.id] ?? PathOverlay(chart: $0))
        }
    }

    public var nodes: ChartCoverage.Ratio { sum(\.nodes) }
    public var edges: ChartCoverage.Ratio { sum(\.edges) }
    public var outcomes: ChartCoverage.Ratio { sum(\.outcomes) }

    private func sum(_ key: KeyPath<ChartCoverage, ChartCoverage.Ratio>) -> ChartCoverage.Ratio {
        ChartCoverage.Ratio(
            hit: charts.reduce(0) { $0 + $1[keyPath: key].hit },
            total: charts.reduce(0) { $0 + $1[keyPath: key].total })
    }

    /// The report as JSON: totals and one entry per chart.
    public var json: Value {
        func ratio(_ r: ChartCoverage.Ratio) -> Value {
            .map(["hit": .int(r.hit), "total": .int(r.total), "percent": .double((r.percent * 10).rounded() / 10)])
        }
        return .map([
            "totals": .map(["nodes": ratio(nodes), "edges": ratio(edges), "outcomes": ratio(outcomes)]),
            "charts": .list(charts.map(\.json)),
        ])
    }
}
