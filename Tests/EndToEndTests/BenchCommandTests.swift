import FlowchartModel
import Foundation
import Testing

/// `l7flow bench ID --context F`: the figures of a chart timed on one context.
@Suite struct BenchCommandTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Flowcharts/examples/dhcp-client-offer.json").path

    @Test func timesTheWorkedExampleWithTheTraceOffAndOn() throws {
        let dir = try Binary.scratch()
        let result = try Binary.run(
            ["bench", "dhcp.client.receive", "--context", Self.example, "--iterations", "3", "--json"], in: dir)
        #expect(result.status == 0, Comment(rawValue: result.stderr))
        let figures = try JSON.parse(result.stdout)
        #expect(figures["flowchart"] == "dhcp.client.receive")
        #expect(figures["iterations"] == 3)
        #expect(figures["decisions_per_run"] == 7)
        #expect(figures["steps_per_run"] == 9)
        #expect(figures["end"] == ["node": "E2", "outcome": "consumed"])
        #expect(figures["modes"].list?.map { $0["mode"] } == ["trace off", "trace on"])
        for mode in figures["modes"].list ?? [] {
            #expect((mode["seconds_per_run"].number ?? 0) > 0)
            #expect((mode["decisions_per_second"].number ?? 0) > 0)
        }
    }

    @Test func theTextNamesTheRunAndBothModes() throws {
        let dir = try Binary.scratch()
        let result = try Binary.run(
            ["bench", "dhcp.client.receive", "--context", Self.example, "--iterations", "2"], in: dir)
        #expect(result.status == 0, Comment(rawValue: result.stderr))
        #expect(
            result.stdout.hasPrefix(
                "dhcp.client.receive revision 1: 2 runs per mode, 9 nodes and 7 decisions per run, end E2 (consumed)\n")
        )
        #expect(result.stdout.contains("\ntrace off  "))
        #expect(result.stdout.contains("\ntrace on   "))
    }

    @Test func anUnknownChartIsNamed() throws {
        let dir = try Binary.scratch()
        let result = try Binary.run(["bench", "no.such.chart", "--context", Self.example], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no chart 'no.such.chart'"))
    }

    @Test func zeroIterationsIsAUsageError() throws {
        let dir = try Binary.scratch()
        let result = try Binary.run(
            ["bench", "dhcp.client.receive", "--context", Self.example, "--iterations", "0"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--iterations must be at least 1"))
    }
}
