import CaseSupport
import FlowEngine
import FlowchartModel
import Foundation
import Protocols

/// The charts of `Flowcharts/`, read straight from the files and compiled once for the tests.
enum BundledCharts {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Flowcharts")

    /// Chart files relative to `Flowcharts/`.
    static let files: [String] = {
        let walker = FileManager.default.enumerator(atPath: folder.path)!
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".flow") }.sorted()
    }()

    static let charts: [Chart] = {
        files.map { file in
            let text = try! String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            do { return try ChartText.parse(text, source: file) } catch { fatalError("\(error)") }
        }
    }()

    static let programs: Result<ProgramSet, CompileFailure> = Result { () throws(CompileFailure) in
        try Compiler(registry: Registry.l7flow).compile(charts.map { Compiler.Input($0) })
    }

    /// Runs a case in process and returns its trace JSON.
    static func run(_ c: SpecCase) throws -> Value {
        let programs = try self.programs.get()
        let events = try ScheduledEvent.list(from: c.events)
        return try Runner.run(programs: programs, chart: c.flowchart, context: c.context, events: events).json
    }
}
