import FlowEngine
import FlowchartModel
import Foundation
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

    /// Each file is in the canonical form `l7flow export` writes, so import then export gives it
    /// back byte for byte. Set L7FLOW_WRITE_CANONICAL=1 to rewrite the files in that form.
    @Test(arguments: BundledCharts.files)
    func chartFileIsCanonical(_ file: String) throws {
        let url = BundledCharts.folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let chart = try ChartText.parse(text, source: file)
        let canonical = ChartText.format(chart)
        #expect(try ChartText.parse(canonical, source: file) == chart)
        if canonical != text, ProcessInfo.processInfo.environment["L7FLOW_WRITE_CANONICAL"] != nil {
            try canonical.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            canonical == text,
            "\(file) is not in canonical form; run the tests with L7FLOW_WRITE_CANONICAL=1 to rewrite it")
        #expect(file == "\(chart.protocolName)/\(chart.id).flow", "a chart file lives at <protocol>/<id>.flow")
    }
}
