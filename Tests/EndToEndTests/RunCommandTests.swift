import CaseSupport
import FlowchartModel
import Foundation
import Testing

/// A sample of `Tests/Cases` run through the built binary exactly as DESIGN.md describes:
/// `l7flow run ID --context FILE --events FILE --json`, compared by the spec's rules. Every case
/// runs in process (FlowEngineTests' GoldenCaseTests); through the binary one case a chart shows
/// that the command reads, runs and prints what the engine does.
@Suite struct RunCommandTests {
    static let cases: [SpecCase] = (try? CaseLibrary.load()) ?? []
    static let folder: URL = try! Binary.scratch()

    /// One case per chart: the first with scheduled events (they exercise `--events`), else the first.
    static let sample: [SpecCase] = {
        var chosen: [String: SpecCase] = [:]
        for c in cases {
            let hasEvents = !(c.events.list ?? []).isEmpty
            if let current = chosen[c.flowchart], !(hasEvents && (current.events.list ?? []).isEmpty) { continue }
            chosen[c.flowchart] = c
        }
        return chosen.values.sorted { $0.id < $1.id }
    }()

    @Test func theSampleHasACaseForEveryChartWithCases() throws {
        let loaded = try CaseLibrary.load()
        #expect(!loaded.isEmpty)
        #expect(Set(Self.sample.map(\.flowchart)) == Set(loaded.map(\.flowchart)))
        #expect(Self.sample.count >= 50)
    }

    @Test(arguments: sample)
    func caseReproducesThroughTheCLI(_ c: SpecCase) throws {
        let dir = Self.folder
        let safe = c.id.replacingOccurrences(of: "/", with: "_")
        let context = try Binary.write(JSON.encode(c.context), to: "\(safe).context.json", in: dir)
        let events = try Binary.write(JSON.encode(c.events), to: "\(safe).events.json", in: dir)
        let result = try Binary.run(["run", c.flowchart, "--context", context, "--events", events, "--json"], in: dir)
        #expect(result.status == 0, Comment(rawValue: result.stderr))
        let trace = try JSON.parse(result.stdout)
        let problems = CaseMatcher.mismatches(c.expect, trace: trace)
        #expect(problems.isEmpty, Comment(rawValue: "\(c.id):\n" + problems.joined(separator: "\n")))
    }

    @Test func theTextTraceShowsQuestionsBranchesAndReads() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Flowcharts/examples/dhcp-client-offer.json")
        let result = try Binary.run(["run", "dhcp.client.receive", "--context", example.path], in: dir)
        #expect(result.status == 0, Comment(rawValue: result.stderr))
        #expect(result.stdout.contains("D4  Does xid belong to the client's current transaction?  -> yes"))
        #expect(result.stdout.contains("read packet.xid = \"0x00001A2B\""))
        #expect(result.stdout.contains("send DHCPREQUEST to 255.255.255.255:67"))
        #expect(result.stdout.contains("ended at E2 (consumed)"))
    }

    @Test func contextFromStandardInput() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let context = #"{"iface": {"up": false}, "env": {"now": 5}}"#
        let result = try Binary.run(
            ["run", "dhcp.client.discover", "--context", "-", "--json"], in: dir, stdin: context)
        #expect(result.status == 0, Comment(rawValue: result.stderr))
        #expect(try JSON.parse(result.stdout)["path"] == ["D1:no", "E1"])
    }
}
