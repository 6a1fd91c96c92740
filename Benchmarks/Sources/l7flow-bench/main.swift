// Times the interpreter on the bundled charts: compile all charts, then run the spec's worked
// examples many times with the trace off and on. Prints nanoseconds per run.
import FlowEngine
import FlowchartModel
import Foundation
import Protocols

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let chartFolder = root.appendingPathComponent("Flowcharts")
let caseFolder = root.appendingPathComponent("Tests/Cases")

func measure(_ label: String, iterations: Int, _ body: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    try body()  // warm up
    let start = clock.now
    for _ in 0..<iterations { try body() }
    let elapsed = clock.now - start
    let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    print(label.padding(toLength: 48, withPad: " ", startingAt: 0), String(format: "%12.0f ns/iteration", ns / Double(iterations)))
}

let files = FileManager.default.enumerator(atPath: chartFolder.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".flow") }
let charts = try files.map { try ChartText.parse(String(contentsOf: chartFolder.appendingPathComponent($0), encoding: .utf8), source: $0) }
let inputs = charts.map { Compiler.Input($0) }
let compiler = Compiler(registry: Registry.l7flow)
let programs = try compiler.compile(inputs)
measure("validate + compile \(charts.count) charts", iterations: 20) { _ = try! compiler.compile(inputs) }

let caseFiles = try FileManager.default.contentsOfDirectory(atPath: caseFolder.path).filter { $0.hasSuffix(".json") }.sorted()
for file in caseFiles {
    guard case .list(let cases) = try JSON.parse(String(contentsOf: caseFolder.appendingPathComponent(file), encoding: .utf8)),
          let example = cases.first, let chart = example["flowchart"].string else { continue }
    let events = try ScheduledEvent.list(from: example["events"].isNull ? .list([]) : example["events"])
    for traced in [false, true] {
        measure("\(chart) \(traced ? "traced" : "untraced")", iterations: 2000) {
            _ = try! Runner.run(programs: programs, chart: chart, context: example["context"], events: events, traced: traced)
        }
    }
}
