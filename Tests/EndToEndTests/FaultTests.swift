import FlowStore
import FlowchartModel
import Foundation
import SQLiteKit
import Testing

/// `kill -9` in the middle of a write leaves a sound database: the integrity check passes and
/// every chart is at its last committed revision, with a snapshot that matches it.
@Suite struct FaultTests {
    /// Starts `l7flow` and kills it (SIGKILL) after `delay` seconds, unless it ended first.
    func killed(_ args: [String], in dir: URL, after delay: Double) throws {
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: delay)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Seconds one unkilled run of `args` takes.
    func duration(_ args: [String], in dir: URL) throws -> Double {
        let start = Date()
        let r = try Binary.run(args, in: dir)
        #expect(r.status == 0, Comment(rawValue: "\(args): \(r.stderr)"))
        return Date().timeIntervalSince(start)
    }

    /// The database is whole and each chart's current rows are the snapshot of its revision.
    func expectSound(_ path: String, _ what: String) throws -> [String: StoredChart] {
        let db = try Database(path: path)
        #expect(try db.scalar("PRAGMA integrity_check") == .text("ok"), Comment(rawValue: what))
        // No revision or logged change beyond the chart's own revision, and a snapshot of it.
        let ahead = try db.query(
            """
            SELECT id FROM charts c WHERE revision != (SELECT max(revision) FROM chart_revisions WHERE chart_id = c.id)
                OR revision < (SELECT max(revision) FROM changes WHERE chart_id = c.id)
            """)
        #expect(ahead.isEmpty, Comment(rawValue: "\(what): \(ahead.map { $0.text("id") })"))
        let store = try ChartStore(path: path, seed: false)
        var byID: [String: StoredChart] = [:]
        for stored in try store.loadAll() {
            byID[stored.chart.id] = stored
            #expect(
                try store.chart(stored.chart.id, at: stored.revision) == stored.chart,
                Comment(rawValue: "\(what): \(stored.chart.id)"))
        }
        #expect(byID.count == 61, Comment(rawValue: what))
        return byID
    }

    @Test func aKilledFirstUseLeavesNoDatabaseOrAWholeOne() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let path = dir.appendingPathComponent("l7flow.sqlite").path
        let makeTime = try duration(["--db", dir.appendingPathComponent("timing.sqlite").path, "list"], in: dir)
        for fraction in [0.2, 0.5, 0.8] {
            try killed(["list"], in: dir, after: makeTime * fraction)
            // The database is there whole, or not at all; never half made.
            if FileManager.default.fileExists(atPath: path) { _ = try expectSound(path, "first use at \(fraction)") }
            let list = try Binary.run(["list"], in: dir)
            #expect(list.status == 0, Comment(rawValue: list.stderr))
            _ = try expectSound(path, "after first use at \(fraction)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".new-") }
            #expect(left.isEmpty, Comment(rawValue: "\(left)"))
            try FileManager.default.removeItem(atPath: path)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    @Test func killedImportsResetsAndEditsLeaveEveryChartWhole() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let path = dir.appendingPathComponent("l7flow.sqlite").path
        _ = try Binary.run(["init"], in: dir)
        let bundled = try ChartStore.bundledCharts()
        /// Every chart with its first label marked: one import of them writes 61 charts at once.
        func writeMarked(_ mark: String) throws -> String {
            let folder = dir.appendingPathComponent("import-\(mark)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for var chart in bundled {
                chart.nodes[0].label += " [\(mark)]"
                try ChartText.format(chart).write(
                    to: folder.appendingPathComponent("\(chart.id).flow"), atomically: true, encoding: .utf8)
            }
            return folder.path
        }
        let fractions = [0.2, 0.5, 0.8]

        // Imports: all 61 charts carry the new mark, or none does.
        let importTime = try duration(["import", try writeMarked("timing")], in: dir)
        for (i, fraction) in fractions.enumerated() {
            let mark = "round \(i)"
            try killed(["import", try writeMarked(mark)], in: dir, after: importTime * fraction)
            let charts = try expectSound(path, "import \(i)")
            let marked = charts.values.filter { $0.chart.nodes[0].label.hasSuffix("[\(mark)]") }.count
            #expect(marked == 0 || marked == 61, Comment(rawValue: "import \(i): \(marked) charts imported"))
        }

        // init --reset: every chart is bundled again, or none was touched.
        let resetTime = try duration(["init", "--reset"], in: dir)
        for (i, fraction) in fractions.enumerated() {
            _ = try Binary.run(["import", try writeMarked("before reset \(i)")], in: dir)
            try killed(["init", "--reset"], in: dir, after: resetTime * fraction)
            let charts = try expectSound(path, "reset \(i)")
            let asBundled = bundled.filter { charts[$0.id]?.chart == $0 }.count
            #expect(asBundled == 0 || asBundled == 61, Comment(rawValue: "reset \(i): \(asBundled) charts reset"))
        }

        // Edits: the chart is at its old revision or its new one, never between.
        let editTime = try duration(["edit", "relabel", "dhcp.client.discover", "D1", "timing"], in: dir)
        for (i, fraction) in fractions.enumerated() {
            let before = try #require(try expectSound(path, "before edit \(i)")["dhcp.client.discover"])
            try killed(
                ["edit", "relabel", "dhcp.client.discover", "D1", "edit \(i)"], in: dir, after: editTime * fraction)
            let after = try #require(try expectSound(path, "edit \(i)")["dhcp.client.discover"])
            let label = after.chart.nodes.first { $0.id == "D1" }?.label
            #expect(
                (after.revision == before.revision && label == before.chart.nodes.first { $0.id == "D1" }?.label)
                    || (after.revision == before.revision + 1 && label == "edit \(i)"), Comment(rawValue: "edit \(i)"))
        }
    }

    @Test func aKilledRecordingSimulationKeepsAllItsTracesOrNone() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let path = dir.appendingPathComponent("l7flow.sqlite").path
        _ = try Binary.run(["init"], in: dir)
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Flowcharts/scenarios/dhcp-relay.scenario.json").path
        let args = ["simulate", scenario, "--record"]
        let simulateTime = try duration(args, in: dir)
        let store = try ChartStore(path: path, seed: false)
        let perSimulation = try store.traces().count
        #expect(perSimulation > 0)
        var kept = perSimulation
        for fraction in [0.3, 0.6, 0.9] {
            try killed(args, in: dir, after: simulateTime * fraction)
            _ = try expectSound(path, "simulate --record at \(fraction)")
            let now = try ChartStore(path: path, seed: false).traces().count
            #expect(
                now == kept || now == kept + perSimulation,
                Comment(rawValue: "\(now - kept) traces of \(perSimulation) kept"))
            kept = now
        }
    }
}
