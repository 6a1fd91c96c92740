import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Simulator
import Testing

/// A database seeded with the bundled charts, and the simulator's inputs read from it.
struct SimulatorFixture {
    let store: ChartStore
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).sqlite").path
        store = try ChartStore(path: path)
    }

    func dispatch() throws -> Dispatch {
        let rules = try store.dispatchRows().compactMap { row -> DispatchRule? in
            guard let t = DispatchRule.Transport(rawValue: row.transport), let s = DispatchRule.Side(rawValue: row.side)
            else { return nil }
            return DispatchRule(
                position: row.position, transport: t, port: row.port, side: s, message: row.message, sender: row.sender,
                protocolName: row.protocolName, role: row.role, trigger: row.trigger)
        }
        return Dispatch(rules: rules, charts: try store.boundCharts())
    }

    func simulate(_ text: String) throws -> Simulation {
        let sim = try Simulation(
            scenario: try Scenario.parse(text), programs: try LiveCharts(store: store).programs,
            dispatch: try dispatch())
        sim.run()
        return sim
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func bundledScenarios() -> [URL] {
        let folder = packageRoot.appendingPathComponent("Flowcharts/scenarios")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.lastPathComponent.hasSuffix(".scenario.json") }.sorted { $0.path < $1.path }
    }
}

/// Every bundled scenario passes its `expect` list (what `l7flow simulate --check` checks).
@Suite struct BundledScenarioTests {
    @Test func theFolderHoldsScenarios() {
        #expect(SimulatorFixture.bundledScenarios().count >= 3)
    }

    @Test(arguments: SimulatorFixture.bundledScenarios().map(\.lastPathComponent))
    func scenarioPassesItsExpectations(_ file: String) throws {
        let fixture = try SimulatorFixture()
        let text = try String(
            contentsOf: SimulatorFixture.packageRoot.appendingPathComponent("Flowcharts/scenarios/\(file)"),
            encoding: .utf8)
        let sim = try fixture.simulate(text)
        let results = sim.checkExpectations()
        #expect(!results.isEmpty, "\(file) has no expect list")
        for r in results where !r.passed { Issue.record("\(file): \(r.summary)") }
        #expect(
            !sim.events.contains { $0.kind == .error },
            "\(file): a run failed: \(sim.events.first { $0.kind == .error }?.reason ?? "")")
    }

    @Test func sameScenarioSameEventList() throws {
        let fixture = try SimulatorFixture()
        let text = try String(
            contentsOf: SimulatorFixture.packageRoot.appendingPathComponent(
                "Flowcharts/scenarios/dhcp-relay.scenario.json"), encoding: .utf8)
        let a = try fixture.simulate(text)
        let b = try fixture.simulate(text)
        #expect(EventList.text(a.events) == EventList.text(b.events))
        #expect(JSON.encode(EventList.json(a, expectations: [])) == JSON.encode(EventList.json(b, expectations: [])))
    }
}
