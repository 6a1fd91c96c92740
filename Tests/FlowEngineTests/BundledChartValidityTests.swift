import FlowEngine
import FlowchartModel
import Protocols
import Testing

/// Fails when any bundled chart stops validating or round-tripping through the text format.
@Suite struct BundledChartValidityTests {
    @Test func everyBundledChartValidates() throws {
        let validator = Validator(catalog: Registry.l7flow.catalog, charts: BundledCharts.charts)
        let problems = validator.validateAll().filter { $0.severity == .error }
        #expect(problems.isEmpty, Comment(rawValue: problems.map(\.description).joined(separator: "\n")))
        _ = try BundledCharts.programs.get()
    }

    @Test(arguments: BundledCharts.charts.map(\.id))
    func chartFileIsCanonical(_ id: String) throws {
        let chart = try #require(BundledCharts.charts.first { $0.id == id })
        let text = ChartText.format(chart)
        #expect(try ChartText.parse(text, source: id) == chart)
    }
}
