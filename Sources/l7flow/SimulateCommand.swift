import ArgumentParser
import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Simulator

struct Simulate: GlobalCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract:
            "Simulate a network: devices on LANs run the charts on one virtual clock; print Packet Tracer's event list.",
        discussion: """
            The scenario file (SIMULATION.md) names the devices, their LANs, the user's commands, faults and \
            expectations. With --json it prints {scenario, until, events, devices, expect}. Exit status 1 when the \
            scenario is invalid, or with --check when an expectation fails.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The scenario file (*.scenario.json).") var scenario: String
    @Option(help: "Stop at this virtual time in seconds (default: the scenario's until, else 600).") var until: Double?
    @Option(help: "Show only events at or from this device.") var device: String?
    @Option(name: .customLong("protocol"), help: "Show only events of this protocol (message or chart).")
    var protocolName: String?
    @Flag(help: "Check the scenario's expectations: list each failed one and exit 1 when any failed.") var check = false
    @Option(help: "Run the virtual clock at this many times real time.") var pace: Double?
    @Flag(help: "Take edits committed to the database while it runs (from the next event).") var watch = false
    @Option(help: "Deliveries and timer expiries after which a runaway scenario is stopped.") var maxDeliveries =
        200_000
    @Option(help: "Nodes one run may visit before it is stopped as an endless loop.") var maxSteps = 100_000
    @Option(
        help: ArgumentHelp(
            "Write DIR/<chart>.svg for every chart that ran, its paths lit with every run (needs Graphviz).",
            valueName: "dir"))
    var chartSvg: String?
    @Flag(help: "Keep every run's trace in the database (see 'l7flow traces'), for coverage and lit diagrams later.")
    var record = false

    func validate() throws {
        if let pace, pace <= 0 { throw ValidationError("--pace must be more than 0") }
        if let until, until < 0 { throw ValidationError("--until must not be negative") }
        if maxDeliveries < 1 { throw ValidationError("--max-deliveries must be at least 1") }
    }

    func run() throws {
        let json = global.json
        if chartSvg != nil, Graphviz.executable("dot") == nil {
            throw Failure(
                "--chart-svg needs Graphviz's 'dot' program, which is not installed (apt-get install graphviz)")
        }
        guard let data = FileManager.default.contents(atPath: scenario) else {
            throw Failure("scenario file \(scenario) cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure("scenario file \(scenario) is not UTF-8 text")
        }
        let parsed: Scenario
        do { parsed = try Scenario.parse(text) } catch {
            throw Failure("\(scenario): \(error)", code: "invalid-scenario")
        }
        let store = try openStore(global)
        let live: LiveCharts
        do { live = try LiveCharts(store: store) } catch { throw Failure("\(error)") }
        for p in live.problems { Output.error("\(p)") }
        let dispatch = try loadDispatch(store)
        let sim: Simulation
        do {
            sim = try Simulation(
                scenario: parsed, programs: live.programs, dispatch: dispatch,
                options: .init(until: until, deliveryBudget: maxDeliveries, stepBudget: maxSteps))
        } catch {
            throw Failure("\(scenario): \(error)", code: "invalid-scenario")
        }
        let filter = EventList.Filter(device: device, protocolName: protocolName)
        if let d = device, !parsed.devices.contains(where: { $0.name == d }) {
            throw Failure("--device: no device '\(d)' in \(scenario)")
        }
        let streaming = (pace != nil || watch) && !json
        if pace != nil || watch {
            let started = Date()
            var reported = live.problems.map { "\($0)" }
            sim.willProcess = { [pace, watch] t in
                if let pace {
                    let due = started.addingTimeInterval(t / pace)
                    let wait = due.timeIntervalSinceNow
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                }
                guard watch else { return nil }
                do {
                    let changed = try live.refresh()
                    let problems = live.problems.map { "\($0)" }
                    if problems != reported {
                        for p in problems where !reported.contains(p) {
                            Output.error("\(p) (the last valid revision goes on running)")
                        }
                        reported = problems
                    }
                    return changed.isEmpty ? nil : live.programs
                } catch {
                    Output.error("\(error)")
                    return nil
                }
            }
        }
        if streaming {
            Output.text(EventList.header + "\n")
            sim.didProcess = { event in
                guard filter.shows(event) else { return }
                Output.text(EventList.lines(event).joined(separator: "\n") + "\n")
            }
        }
        sim.run()
        let results = sim.checkExpectations()
        if json {
            var doc = EventList.json(sim, filter: filter, expectations: results)
            if let reason = sim.stopReason, case .map(var m) = doc {
                m["stopped"] = .string(reason)
                doc = .map(m)
            }
            Output.text(JSON.encode(doc, pretty: true) + "\n")
        } else {
            if !streaming { Output.text(EventList.text(sim.events, filter: filter)) }
            if let reason = sim.stopReason { Output.text(reason + "\n") }
            if !results.isEmpty {
                let failed = results.filter { !$0.passed }
                Output.text("expect: \(results.count - failed.count) of \(results.count) passed\n")
                for f in failed { Output.text("  FAILED \(f.summary)\n") }
            }
        }
        if let reason = sim.stopReason { Output.error(reason) }
        if let chartSvg {
            let charts = try loadAllCharts(store).map(\.chart)
            for file in try SimulationRuns.writeSVGs(sim, charts: charts, to: chartSvg) { Output.note("wrote \(file)") }
        }
        if record {
            Output.note("recorded \(try SimulationRuns.record(sim, scenario: scenario, in: store)) runs as traces")
        }
        let failed = results.filter { !$0.passed }.count
        if check, failed > 0 {
            throw Failure("\(failed) of \(results.count) expectations failed", code: "expectations-failed")
        }
        if check, results.isEmpty { throw Failure("\(scenario) has no expect list to check") }
    }
}

/// The dispatch rows and the charts their bindings name, as the simulator takes them.
func loadDispatch(_ store: ChartStore) throws -> Dispatch {
    do {
        let rules = try store.dispatchRows().compactMap { row -> DispatchRule? in
            guard let transport = DispatchRule.Transport(rawValue: row.transport),
                let side = DispatchRule.Side(rawValue: row.side)
            else { return nil }
            return DispatchRule(
                position: row.position, transport: transport, port: row.port, side: side, message: row.message,
                sender: row.sender, protocolName: row.protocolName, role: row.role, trigger: row.trigger)
        }
        return Dispatch(rules: rules, charts: try store.boundCharts())
    } catch {
        throw Failure("\(error)")
    }
}
