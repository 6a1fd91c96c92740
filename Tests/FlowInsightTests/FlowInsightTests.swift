import FlowEngine
import FlowInsight
import FlowchartModel
import Testing

/// Overlays, diagrams, coverage and behaviour diffs on small charts run by the engine.
@Suite struct FlowInsightTests {
    static let chartText = """
        chart t.a.loop
        protocol: t
        role: a
        trigger: loop

        D1 decision "Is n below 2 <and> is it \\"on\\"?" [lt(device.n, 2)] yes -> A2 no -> E3
        A2 action "Count one more, then ask again, with a label long enough to wrap" { incr(device.n, 1) } -> D1
        E3 end consumed "done"
        E4 end dropped "never reached"

        """

    static let chart: Chart = try! ChartText.parse(chartText, source: "test")

    func run(n: Int) throws -> RunReport {
        let programs = try Compiler(registry: Registry.generic).compile([Compiler.Input(Self.chart)])
        return try Runner.run(programs: programs, chart: "t.a.loop", context: ["device": ["n": .int(n)]])
    }

    @Test func overlayCountsVisitsAndNumbersTheFirstRun() throws {
        var overlay = PathOverlay(chart: Self.chart)
        overlay.add(run: Visit.list(from: try run(n: 0).steps))
        // D1:yes A2 D1:yes A2 D1:no E3
        #expect(overlay.nodeHits == ["D1": 3, "A2": 2, "E3": 1])
        #expect(overlay.nodeOrder["D1"] == [1, 3, 5])
        #expect(overlay.edgeHits[EdgeRef(from: "D1", outcome: .yes)] == 2)
        #expect(overlay.edgeHits[EdgeRef(from: "D1", outcome: .no)] == 1)
        #expect(overlay.edgeHits[EdgeRef(from: "A2", outcome: .next)] == 2)
        #expect(overlay.edgeOrder[EdgeRef(from: "D1", outcome: .no)] == [6])
    }

    @Test func overlayOfAStoredTraceEqualsTheLiveOne() throws {
        let report = try run(n: 1)
        var live = PathOverlay(chart: Self.chart)
        live.add(run: Visit.list(from: report.steps))
        var stored = PathOverlay(chart: Self.chart)
        stored.add(run: try Visit.list(fromTrace: report.json))
        #expect(live.nodeHits == stored.nodeHits)
        #expect(live.edgeHits == stored.edgeHits)
    }

    @Test func aTraceWithoutStepsIsRefused() {
        #expect(throws: InsightError("a trace must hold a 'steps' list")) {
            try Visit.list(fromTrace: ["path": []])
        }
    }

    @Test func edgesSkipTheStepsOfCalledCharts() {
        let caller = try! ChartText.parse(
            """
            chart t.a.caller
            protocol: t
            role: a
            trigger: caller

            C1 call "Ask" [t.helper()] yes -> E2 no -> E3
            E2 end consumed "ok"
            E3 end dropped "no"

            """, source: "test")
        var overlay = PathOverlay(chart: caller)
        overlay.add(run: [
            Visit(flowchart: "t.a.caller", node: "C1", depth: 0, outcome: "no"),
            Visit(flowchart: "t.helper", node: "D1", depth: 1, outcome: "no"),
            Visit(flowchart: "t.helper", node: "E9", depth: 1, outcome: nil),
            Visit(flowchart: "t.a.caller", node: "E3", depth: 0, outcome: nil),
        ])
        #expect(overlay.edgeHits == [EdgeRef(from: "C1", outcome: .no): 1])
        #expect(overlay.nodeOrder == ["C1": [1], "E3": [2]])
    }

    @Test func dotLightsTheTakenPathAndDimsTheRest() throws {
        var overlay = PathOverlay(chart: Self.chart)
        overlay.add(run: Visit.list(from: try run(n: 1).steps))
        let dot = ChartDiagram.dot(Self.chart, overlay: overlay)
        #expect(dot.contains("\"D1\" [shape=diamond"))
        #expect(dot.contains("\"D1\" -> \"E3\" [label=\"no #4\", color=\"#1b7f3b\""))
        #expect(dot.contains("\"E4\" [shape=ellipse, label=\"E4 dropped\\nnever reached\", color=\"#b0b0b0\""))
        #expect(dot.contains("\\\"on\\\"?"))
        // The long action label is wrapped.
        #expect(dot.contains("Count one more, then ask\\nagain,"))
        #expect(dot.contains("(path of 1 run)"))
    }

    @Test func mermaidEscapesQuotesAndAngleBrackets() throws {
        var overlay = PathOverlay(chart: Self.chart)
        overlay.add(run: Visit.list(from: try run(n: 5).steps))
        let text = ChartDiagram.mermaid(Self.chart, overlay: overlay)
        #expect(text.contains("#lt;and#gt;"))
        #expect(text.contains("#quot;on#quot;"))
        #expect(!text.contains("<and>"))
        #expect(text.contains("class D1,E3 taken"))
        #expect(text.contains("class A2,E4 untaken"))
        // Edges in order: D1 yes (0), D1 no (1), A2 next (2); only D1 no was taken.
        #expect(text.contains("linkStyle 1 stroke:#1b7f3b"))
        #expect(text.contains("linkStyle 0,2 stroke:#b0b0b0"))
    }

    @Test func severalRunsShowCounts() throws {
        var overlay = PathOverlay(chart: Self.chart)
        for n in [0, 5, 5] { overlay.add(run: Visit.list(from: try run(n: n).steps)) }
        #expect(overlay.runs == 3)
        #expect(overlay.nodeHits["D1"] == 5)
        #expect(ChartDiagram.dot(Self.chart, overlay: overlay).contains("×5"))
    }

    @Test func coverageListsWhatNoRunReached() throws {
        var set = OverlaySet(charts: [Self.chart])
        set.add(run: Visit.list(from: try run(n: 5).steps))
        var coverage = CoverageReport(charts: [Self.chart], overlays: set).charts[0]
        #expect(coverage.outcomes == .init(hit: 1, total: 2))
        #expect(coverage.missingOutcomes == ["D1:yes"])
        #expect(coverage.unvisitedNodes == ["A2", "E4"])
        #expect(coverage.untakenEdges.map(\.description) == ["D1:yes", "A2->"])
        set.add(run: Visit.list(from: try run(n: 0).steps))
        coverage = CoverageReport(charts: [Self.chart], overlays: set).charts[0]
        #expect(coverage.outcomes.percent == 100)
        #expect(coverage.nodes == .init(hit: 3, total: 4))
    }

    @Test func behaviourDiffFindsTheFirstDivergingStep() throws {
        let a = RunOutcome(trace: try run(n: 1).json)
        let b = RunOutcome(trace: try run(n: 5).json)
        let diff = try #require(BehaviourDifference.compare(input: "case#1", a, b))
        #expect(diff.aspects == [.path, .writes])
        #expect(diff.divergenceIndex == 0)
        #expect(diff.before == "D1:yes")
        #expect(diff.after == "D1:no")
        #expect(diff.changedWrites == ["device.n"])
        #expect(BehaviourDifference.compare(input: "same", a, a) == nil)
    }
}

/// Visits rebuilt from the path notation of the simulator's event list.
@Suite struct PathNotationTests {
    @Test func depthFollowsCallsAndEnds() {
        let visits = Visit.list(
            fromPath: ["D1:yes", "C2", "t.helper/D1:no", "t.helper/C3", "t.deep/E1", "t.helper/E9", "E3"],
            top: "t.a.caller")
        #expect(visits.map(\.depth) == [0, 0, 1, 1, 2, 1, 0])
        #expect(
            visits.map(\.flowchart) == [
                "t.a.caller", "t.a.caller", "t.helper", "t.helper", "t.deep", "t.helper", "t.a.caller",
            ])
        #expect(visits[2].outcome == "no")
        #expect(visits[1].outcome == nil)
    }

    @Test func aPathLightsTheSameEdgesAsItsSteps() throws {
        let chart = FlowInsightTests.chart
        var fromSteps = PathOverlay(chart: chart)
        var fromPath = PathOverlay(chart: chart)
        let programs = try Compiler(registry: Registry.generic).compile([Compiler.Input(chart)])
        let report = try Runner.run(programs: programs, chart: "t.a.loop", context: ["device": ["n": .int(0)]])
        fromSteps.add(run: Visit.list(from: report.steps))
        fromPath.add(run: Visit.list(fromPath: report.path, top: "t.a.loop"))
        #expect(fromSteps.edgeHits == fromPath.edgeHits)
        #expect(fromSteps.nodeOrder == fromPath.nodeOrder)
    }
}
