import CaseSupport
import FlowEngine
import FlowchartModel
import Foundation
import Protocols

/// What the fuzzer starts from: every bundled chart (its text, parsed and compiled), and the
/// context and events of every golden case.
public struct FuzzCorpus: Sendable {
    /// A chart with its canonical text and the paths its nodes read or write.
    public struct ChartSeed: Sendable {
        public let chart: Chart
        public let text: String
        /// Paths without computed keys that the chart names, where a mutated value does most harm.
        public let paths: [Path]
    }

    /// A case's starting point: the chart it runs, its context and its events.
    public struct RunSeed: Sendable {
        public let chart: String
        public let context: Value
        public let events: Value
    }

    public let charts: [ChartSeed]
    public let runs: [RunSeed]
    /// Every bundled chart compiled together.
    public let programs: ProgramSet
    /// The run seeds by chart id.
    let runsByChart: [String: [RunSeed]]

    /// The checkout this source file belongs to (`Flowcharts/`, `Tests/Cases/`).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Reads the charts under `root/Flowcharts` and the cases under `root/Tests/Cases`.
    public init(root: URL = FuzzCorpus.packageRoot) throws {
        let folder = root.appendingPathComponent("Flowcharts")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".flow") }.sorted()
        var charts: [ChartSeed] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let chart = try ChartText.parse(text, source: file)
            charts.append(ChartSeed(chart: chart, text: ChartText.format(chart), paths: FuzzCorpus.plainPaths(chart)))
        }
        guard !charts.isEmpty else { throw FuzzSetupError("no chart files under \(folder.path)") }
        self.charts = charts
        programs = try Compiler(registry: Registry.l7flow).compile(charts.map { Compiler.Input($0.chart) })
        let cases = try CaseLibrary.load(from: root.appendingPathComponent("Tests/Cases"))
        guard !cases.isEmpty else { throw FuzzSetupError("no cases under \(root.path)/Tests/Cases") }
        runs = cases.map { RunSeed(chart: $0.flowchart, context: $0.context, events: $0.events) }
        runsByChart = Dictionary(grouping: runs, by: \.chart)
    }

    /// The paths a chart names whose segments are all literal.
    static func plainPaths(_ chart: Chart) -> [Path] {
        var seen: Set<String> = []
        var out: [Path] = []
        func add(_ expr: Expr) {
            for path in expr.paths
            where !path.segments.contains(where: { if case .computed = $0 { true } else { false } }) {
                if seen.insert(path.description).inserted { out.append(path) }
            }
        }
        func add(_ call: Call) {
            for argument in call.arguments { add(argument.value) }
            if let result = call.result { add(.path(result)) }
        }
        for node in chart.nodes {
            switch try? node.parsedBody() {
            case .decision(let call)?, .call(let call)?: add(call)
            case .action(let calls)?: calls.forEach(add)
            case .wait(let spec)?: [spec.signal, spec.value, spec.packet, spec.timer].compactMap { $0 }.forEach(add)
            case .end(let spec)?: spec.value.map(add)
            case nil: break
            }
        }
        return out
    }
}

/// The fuzzer could not read what it starts from.
public struct FuzzSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
