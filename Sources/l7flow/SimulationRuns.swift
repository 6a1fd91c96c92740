import FlowEngine
import FlowInsight
import FlowStore
import FlowchartModel
import Foundation
import Simulator

/// The runs of a simulation as diagrams, kept traces and coverage see them.
enum SimulationRuns {
    /// One run (or one stretch of a suspended run) of the simulation, with the event it belongs to.
    struct Run {
        let event: SimEvent
        let record: RunRecord
        let visits: [Visit]
    }

    static func runs(of sim: Simulation) -> [Run] {
        sim.events.flatMap { event in
            event.runs.map { Run(event: event, record: $0, visits: Visit.list(fromPath: $0.path, top: $0.flowchart)) }
        }
    }

    /// Reads and parses a scenario file; an invalid one stops the command naming the file.
    static func scenario(_ file: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure("scenario file \(file) cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure("scenario file \(file) is not UTF-8 text")
        }
        do { return try Scenario.parse(text) } catch { throw Failure("\(file): \(error)", code: "invalid-scenario") }
    }

    /// Simulates a scenario file to its end without printing.
    static func simulate(_ file: String, programs: ProgramSet, dispatch: Dispatch) throws -> Simulation {
        let sim: Simulation
        do { sim = try Simulation(scenario: try scenario(file), programs: programs, dispatch: dispatch) } catch let
            error as ScenarioError
        {
            throw Failure("\(file): \(error)", code: "invalid-scenario")
        }
        sim.run()
        return sim
    }

    /// Writes `DIR/<chart>.svg` for every chart that ran, lit with all its runs; returns the files.
    static func writeSVGs(_ sim: Simulation, charts: [Chart], to directory: String) throws -> [String] {
        var overlays = OverlaySet(charts: charts)
        for run in runs(of: sim) { overlays.add(run: run.visits) }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw Failure("--chart-svg: cannot make the folder \(directory): \(error.localizedDescription)")
        }
        var written: [String] = []
        for chart in charts.sorted(by: { $0.id < $1.id }) {
            guard let overlay = overlays.overlays[chart.id], !overlay.isEmpty else { continue }
            let file = (directory as NSString).appendingPathComponent("\(chart.id).svg")
            do {
                try Graphviz.svg(ChartDiagram.dot(chart, overlay: overlay)).write(
                    toFile: file, atomically: true, encoding: .utf8)
            } catch let f as Failure {
                throw f
            } catch {
                throw Failure("--chart-svg: cannot write \(file): \(error.localizedDescription)")
            }
            written.append(file)
        }
        return written
    }

    /// Keeps every run of the simulation as a trace (source `simulate`), all in one transaction;
    /// returns how many.
    static func record(_ sim: Simulation, scenario: String, in db: ChartStore) throws -> Int {
        let all = runs(of: sim)
        var traces: [ChartStore.NewTrace] = []
        for run in all {
            var revisions: [String: Int] = [:]
            for visit in run.visits where revisions[visit.flowchart] == nil {
                revisions[visit.flowchart] = sim.programs.revision(of: visit.flowchart)
            }
            revisions[run.record.flowchart] = run.record.revision
            let steps: [Value] = run.visits.map { v in
                .map([
                    "flowchart": .string(v.flowchart), "node": .string(v.node), "depth": .int(v.depth),
                    "outcome": v.outcome.map(Value.string) ?? .null,
                ])
            }
            var trace = run.record.json.map ?? [:]
            trace["steps"] = .list(steps)
            trace["at"] = run.event.json["at"]
            let label =
                "\(scenario) t=\(String(format: "%.3f", run.event.at)) \(run.event.kind.rawValue) \(run.event.type) at \(run.event.to)"
            traces.append(
                .init(
                    .map(trace), chartID: run.record.flowchart, revision: run.record.revision, revisions: revisions,
                    source: .simulate, label: label))
        }
        _ = try store { () throws(StoreError) in try db.recordTraces(traces) }
        return all.count
    }
}
