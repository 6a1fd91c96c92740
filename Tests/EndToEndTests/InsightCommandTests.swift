import CaseSupport
import FlowchartModel
import Foundation
import Testing

/// `coverage`, `show` with a lit path, and `diff --cases`, through the built binary.
@Suite struct InsightCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Flowcharts/examples")

    /// A case folder holding the given chart's bundled case file only (a run of the binary stays short).
    func caseFolder(for chart: String, in dir: URL) throws -> String {
        let folder = dir.appendingPathComponent("cases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CaseLibrary.folder.appendingPathComponent("\(chart).json"),
            to: folder.appendingPathComponent("\(chart).json"))
        return folder.path
    }

    @Test func coverageOfTheBundledCasesReachesEveryDecisionOutcome() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(["coverage", "--cases", CaseLibrary.folder.path, "--min", "100", "--json"], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let report = try JSON.parse(r.stdout)
        #expect(report["totals"]["outcomes"]["percent"].number == 100)
        #expect(report["charts"].list?.count == 61)
        #expect(report["cases_failed"] == .list([]))
    }

    @Test func coverageNamesTheBranchesNeverTakenAndGatesOnMin() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = try caseFolder(for: "dhcp.client.discover", in: dir)
        // One case of dhcp.client.discover alone: its first worked example takes D1:yes D2:yes D3:no only.
        let file = URL(fileURLWithPath: cases).appendingPathComponent("dhcp.client.discover.json")
        let all = try JSON.parse(String(contentsOf: file, encoding: .utf8))
        try JSON.encode(.list([all.list![0]]), pretty: true).write(to: file, atomically: true, encoding: .utf8)
        let r = try Binary.run(["coverage", "dhcp.client.discover", "--cases", cases, "--min", "100"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("dhcp.client.discover: outcomes D1:no D2:no D3:yes D8:yes D8:no"))
        #expect(r.stderr.contains("1 chart below 100% of decision outcomes: dhcp.client.discover"))
    }

    @Test func showLightsThePathOfARun() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = Self.examples.appendingPathComponent("dhcp-client-offer.json").path
        let dot = try Binary.run(["show", "dhcp.client.receive", "--format", "dot", "--context", context], in: dir)
        #expect(dot.status == 0, Comment(rawValue: dot.stderr))
        // D5 is the fifth step; its yes edge leads to the sixth; D9 is never reached.
        #expect(dot.stdout.contains("\"D5\" -> \"D6\" [label=\"yes #6\", color=\"#1b7f3b\""))
        #expect(dot.stdout.contains("\"D9\" [shape=diamond, label=\"D9\\nIs it a DHCPACK?\", color=\"#b0b0b0\""))

        // The same path from a saved trace, as Mermaid.
        let trace = try Binary.run(["run", "dhcp.client.receive", "--context", context, "--json"], in: dir)
        let traceFile = try Binary.write(trace.stdout, to: "trace.json", in: dir)
        let mermaid = try Binary.run(
            ["show", "dhcp.client.receive", "--format", "mermaid", "--trace", traceFile], in: dir)
        #expect(mermaid.status == 0, Comment(rawValue: mermaid.stderr))
        #expect(mermaid.stdout.contains("class D1,D2,D3,D4,D5,D6,D7,A8,E2 taken"))

        let refused = try Binary.run(
            ["show", "dhcp.client.receive", "--format", "yaml", "--trace", traceFile], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("a lit path needs --format dot, mermaid or svg"))
    }

    @Test func svgSaysWhenGraphvizIsMissing() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(
            ["show", "dhcp.client.receive", "--format", "svg"], in: dir, environment: ["PATH": dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--format svg needs Graphviz's 'dot' program, which is not installed"))
    }

    @Test func diffWithCasesListsExactlyTheCasesWhosePathChanged() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = try caseFolder(for: "dhcp.client.discover", in: dir)
        // Interface down now goes to E2 instead of E1: only the cases that take D1:no change.
        let edit = try Binary.run(["edit", "retarget", "dhcp.client.discover", "D1", "no", "E2"], in: dir)
        #expect(edit.status == 0, Comment(rawValue: edit.stderr))
        let r = try Binary.run(["diff", "dhcp.client.discover", "1", "2", "--cases", cases], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let expected = try CaseLibrary.load(from: URL(fileURLWithPath: cases)).filter { c in
            (c.expect["path"]?.list ?? []).contains(.string("D1:no"))
        }.map(\.id)
        #expect(!expected.isEmpty)
        let listed = r.stdout.split(separator: "\n").filter { $0.hasPrefix("    dhcp.client.discover#") }
        #expect(listed.count == expected.count)
        for id in expected { #expect(r.stdout.contains("    \(id): path differs at step 2: E1 -> E2; end differ")) }
    }

    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Flowcharts/scenarios")

    /// A stand-in for Graphviz's `dot` that wraps the dot source it is given, so the plumbing is
    /// tested whether or not Graphviz is installed.
    func fakeDot(in dir: URL) throws -> String {
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let path = try Binary.write("#!/bin/sh\necho '<svg>'\ncat\necho '</svg>'\n", to: "bin/dot", in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return bin.path + ":/usr/bin:/bin"
    }

    @Test func simulateDrawsEveryChartThatRanAndKeepsItsRuns() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = Self.scenarios.appendingPathComponent("dhcp-one-lan.scenario.json").path
        let r = try Binary.run(
            ["simulate", scenario, "--chart-svg", "svgs", "--record"], in: dir,
            environment: ["PATH": try fakeDot(in: dir)])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("svgs").path)
            .sorted()
        #expect(files == ["dhcp.client.discover.svg", "dhcp.client.receive.svg", "dhcp.server.receive.svg"])
        let server = try String(contentsOf: dir.appendingPathComponent("svgs/dhcp.server.receive.svg"), encoding: .utf8)
        #expect(server.hasPrefix("<svg>\ndigraph \"dhcp.server.receive\""))
        // Two PCs, each DISCOVER and REQUEST reaching the server and the other PC: eight runs of the
        // server chart; 18 runs in all (each PC: a command, two DISCOVER, two OFFER, two REQUEST, two ACK).
        #expect(server.contains("(paths of 8 runs)"))
        #expect(r.stderr.contains("recorded 18 runs as traces"))
        let traces = try Binary.run(["traces", "dhcp.server.receive", "--json"], in: dir)
        #expect(try JSON.parse(traces.stdout).list?.count == 8)
        let kept = try Binary.run(["coverage", "dhcp.server.receive", "--recorded", "--json"], in: dir)
        #expect(kept.status == 0, Comment(rawValue: kept.stderr))
        let report = try JSON.parse(kept.stdout)
        #expect(report["traces"] == .int(18))
        #expect(report["charts"][0]["missing_outcomes"].list?.contains(.string("D1:yes")) == false)
    }

    @Test func coverageCountsScenarios() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(
            ["coverage", "dhcp.client.discover", "--scenarios", Self.scenarios.path, "--json"], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let report = try JSON.parse(r.stdout)
        #expect(
            report["scenarios"].number
                == Double(try FileManager.default.contentsOfDirectory(atPath: Self.scenarios.path).count))
        // The scenarios start discovery on a PC whose interface is up and in DHCP mode, never one that is down.
        #expect(report["charts"][0]["missing_outcomes"].list?.contains(.string("D1:no")) == true)
        #expect(report["charts"][0]["missing_outcomes"].list?.contains(.string("D1:yes")) == false)
    }
}

/// The text trace a student reads: primitives with their results, values bound by `as`, folded
/// values, messages as blocks in the chart's field order, no colour when piped.
@Suite struct TraceTextTests {
    @Test func aTraceShowsPrimitivesBindingsAndMessageBlocks() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = InsightCommandTests.examples.appendingPathComponent("dhcp-server-discover.json").path
        let r = try Binary.run(["run", "dhcp.server.receive", "--context", context, "--width", "80"], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("          dhcp.find_address(local.pool, packet.chaddr, env.now) ->"))
        #expect(lines.contains("              \"192.168.1.100\" as local.ip"))
        #expect(lines.contains { $0.hasPrefix("          bound local.pool = {\"dns\": \"192.168.1.10\"") })
        #expect(lines.allSatisfy { $0.count <= 80 || !$0.hasPrefix("          ") })
        // The OFFER, built by dhcp.reply, in the field order the DHCP charts write: op before htype.
        let op = try #require(lines.firstIndex(of: "        op: 2"))
        #expect(lines[op + 1] == "        htype: 1")
        #expect(lines.contains("    t=1000  DHCPOFFER  192.168.1.10:67 -> 255.255.255.255:68  udp"))
        #expect(!r.stdout.contains("\u{1B}["))
    }

    @Test func aRefusedPacketSaysWhy() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = InsightCommandTests.examples.appendingPathComponent("dhcp-server-discover.json")
        let text = try String(contentsOf: example, encoding: .utf8).replacingOccurrences(
            of: "\"00:0A:41:12:34:56\"", with: "\"zz:zz:zz:zz:zz:zz\"")
        let context = try Binary.write(text, to: "zz.json", in: dir)
        let r = try Binary.run(["run", "dhcp.server.receive", "--context", context], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(
            r.stdout.contains(
                "ended at A6 (dropped): the packet was dropped, dhcp.find_address: \"zz:zz:zz:zz:zz:zz\" is not a MAC address"
            ))
        #expect(!r.stdout.contains("sent:"))
    }

    @Test func longValuesAreSummarisedUnlessFull() throws {
        let dir = try Binary.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = InsightCommandTests.examples.appendingPathComponent("dhcp-client-offer.json").path
        let short = try Binary.run(["run", "dhcp.client.receive", "--context", context, "--width", "60"], in: dir)
        #expect(short.stdout.contains("more lines (--full shows all)"))
        let full = try Binary.run(
            ["run", "dhcp.client.receive", "--context", context, "--width", "60", "--full"], in: dir)
        #expect(!full.stdout.contains("more lines"))
        #expect(full.stdout.contains("\"server_id\": \"192.168.1.10\""))
        let narrow = try Binary.run(["run", "dhcp.client.receive", "--context", context, "--width", "10"], in: dir)
        #expect(narrow.status == 2)
        #expect(narrow.stderr.contains("--width must be at least 40 columns"))
    }
}
