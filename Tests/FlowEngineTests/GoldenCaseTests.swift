import CaseSupport
import FlowEngine
import FlowchartModel
import Testing

/// Every case under `Tests/Cases` (the spec's worked examples and one case per decision
/// outcome), run in process and compared by the spec's rules.
@Suite struct GoldenCaseTests {
    static let cases: [SpecCase] = (try? CaseLibrary.load()) ?? []

    @Test func caseFilesLoad() throws {
        #expect(try CaseLibrary.load().count > 0)
    }

    @Test(arguments: cases)
    func caseReproduces(_ c: SpecCase) throws {
        let trace = try BundledCharts.run(c)
        let problems = CaseMatcher.mismatches(c.expect, trace: trace)
        #expect(problems.isEmpty, Comment(rawValue: "\(c.id):\n" + problems.joined(separator: "\n")))
    }

    /// Across a chart's cases, every decision and wait takes both its yes and its no edge.
    @Test(arguments: BundledCharts.charts.map(\.id))
    func everyOutcomeIsCovered(_ chartID: String) throws {
        let chart = try #require(BundledCharts.charts.first { $0.id == chartID })
        var taken: Set<String> = []
        for c in Self.cases where c.flowchart == chartID {
            let trace = try BundledCharts.run(c)
            for step in trace["steps"].list ?? [] where step["flowchart"].string == chartID {
                if let outcome = step["outcome"].string { taken.insert("\(step["node"].text):\(outcome)") }
            }
        }
        let wanted = chart.nodes.filter { $0.kind == .decision || $0.kind == .wait }.flatMap {
            ["\($0.id):yes", "\($0.id):no"]
        }
        let missing = wanted.filter { !taken.contains($0) }
        #expect(missing.isEmpty, Comment(rawValue: "\(chartID): no case takes \(missing.joined(separator: ", "))"))
    }
}
