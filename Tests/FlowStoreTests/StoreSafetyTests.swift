import FlowchartModel
import Foundation
import SQLiteKit
import Synchronization
import Testing

@testable import FlowStore

/// What the store refuses, what it keeps, and the revision numbers it never reuses.
@Suite struct StoreSafetyTests {
    @Test func anSQLiteFileOfAnotherProgramIsRefusedAndLeftAlone() throws {
        let path = storePath()
        try Database(path: path).execute("CREATE TABLE contacts (name TEXT)")
        do {
            _ = try ChartStore(path: path)
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains("some other program"))
        }
        #expect(
            try Database(path: path).query("SELECT name FROM sqlite_master").map { $0.text("name") } == ["contacts"])
    }

    @Test func aSchemaVersionThisBuildDoesNotKnowIsRefused() throws {
        let path = storePath()
        _ = try ChartStore(path: path, seed: false)
        let withoutTwo = Migrator(Migration.bundled.filter { $0.version != 2 })
        guard
            case .newerSchema(_, 2, _)? = storeError({
                _ = try ChartStore(path: path, seed: false, migrator: withoutTwo)
            })
        else {
            Issue.record("a database with an unknown schema version was opened")
            return
        }
    }

    @Test func aFailedMigrationSaysWhichAndThatNothingChanged() throws {
        let broken = Migration.bundled + [Migration(version: 100, name: "broken", sql: "CREATE TABLE charts (x);")]
        do {
            _ = try ChartStore(path: storePath(), seed: false, migrator: Migrator(broken))
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains("migration 100 (broken) failed: table charts already exists"))
            #expect(error.description.contains("left as it was"))
        }
    }

    @Test func theSchemaKeepsRowsSaneButStoresADanglingEdge() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        for (bad, message) in [
            (
                "INSERT INTO nodes (chart_id, id, position, kind, body) VALUES ('demo.client.receive', 'x1', 9, 'action', 'f()')",
                "CHECK constraint failed: id GLOB '[A-Z][0-9]*'"
            ),
            (
                "INSERT INTO nodes (chart_id, id, position, kind, body) VALUES ('demo.client.receive', 'A9', 9, 'jump', 'f()')",
                "CHECK constraint failed: kind IN ('decision', 'action', 'call', 'wait', 'end')"
            ),
            (
                "INSERT INTO nodes (chart_id, id, position, kind, body) VALUES ('no.such.chart', 'A9', 9, 'action', 'f()')",
                "a node must belong to a chart that exists (insert the chart first)"
            ),
            (
                "INSERT INTO edges (chart_id, from_node, outcome, to_node, position) VALUES ('demo.client.receive', 'A2', 'maybe', 'E3', 9)",
                "CHECK constraint failed: outcome IN ('yes', 'no', 'next')"
            ),
            (
                "INSERT INTO charts (id, protocol, role, trigger) VALUES ('has space', 'p', 'r', 't')",
                "CHECK constraint failed: length(id) > 0 AND id NOT GLOB '*[ \t]*'"
            ),
            ("UPDATE charts SET draft = 2", "CHECK constraint failed: draft IN (0, 1)"),
        ] {
            // A CHECK constraint fails as SQL; a schema trigger refuses with its own sentence.
            switch storeError({ try store.executeSQL(bad) }) {
            case .sql(let error)?: #expect(error.message == message, Comment(rawValue: bad))
            case .refused(let sentence)?: #expect(sentence == message, Comment(rawValue: bad))
            default: Issue.record("taken: \(bad)")
            }
        }
        try store.executeSQL(
            "UPDATE edges SET to_node = 'Z9' WHERE chart_id = 'demo.client.receive' AND from_node = 'A2'")
        #expect(try store.load(sampleChart.id)?.chart.nodes[1].edges == [Edge(.next, "Z9")])
        let db = try Database(path: store.path)
        let d1 = try #require(
            try db.query("SELECT * FROM chart_nodes WHERE chart_id = 'demo.client.receive' AND node = 'D1'").first)
        #expect(d1.text("yes") == "A2" && d1.text("no") == "E3" && d1.optionalText("next") == nil)
        #expect(d1.text("body") == "eq(device.on, true)")
    }

    @Test func aChartCreatedAgainContinuesItsRevisionNumbers() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        var changed = sampleChart
        changed.nodes[1].body = "incr(device.n, 2)"
        #expect(try store.save(changed) == 2)
        try store.executeSQL("DELETE FROM charts WHERE id = 'demo.client.receive'")
        #expect(try store.save(sampleChart) == 3)
        #expect(try store.chart(sampleChart.id, at: 2) == changed)
        #expect(try store.chart(sampleChart.id, at: 3) == sampleChart)
        #expect(
            try store.changes(chartID: sampleChart.id).filter { $0.what == "chart added" }.map(\.revision) == [1, 3])

        // The same by hand: a chart inserted with sqlite3 continues too, and has a snapshot.
        try store.executeSQL(
            """
            DELETE FROM charts WHERE id = 'demo.client.receive';
            INSERT INTO charts (id, protocol, role, trigger) VALUES ('demo.client.receive', 'demo', 'client', 'receive');
            """)
        #expect(try store.load(sampleChart.id)?.revision == 4)
        #expect(try store.chart(sampleChart.id, at: 4).nodes.isEmpty)
    }

    @Test func aRenameBySQLTakesItsHistoryAlong() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        try store.executeSQL("UPDATE charts SET id = 'demo.client.receive2' WHERE id = 'demo.client.receive'")
        let renamed = try #require(try store.load("demo.client.receive2"))
        #expect(renamed.revision == 2)
        #expect(renamed.chart.nodes == sampleChart.nodes)
        let last = try #require(try store.changes(chartID: "demo.client.receive2").last)
        #expect(
            last.what == "chart renamed" && last.via == "sql" && last.old == "demo.client.receive" && last.revision == 2
        )
        #expect(try store.chart("demo.client.receive2", at: 1).nodes == sampleChart.nodes)
        #expect(try store.chart("demo.client.receive2", at: 2) == renamed.chart)
        #expect(try store.changes(chartID: sampleChart.id).isEmpty)
        #expect(try store.bindings().map(\.chartID) == ["demo.client.receive2"])
    }

    @Test func resetRestoresTheBundledChartsAsNewRevisionsAndKeepsTheEdits() throws {
        let path = storePath()
        let store = try ChartStore(path: path, bundled: [sampleChart])
        var edited = sampleChart
        edited.nodes[0].label = "Edited?"
        #expect(try store.save(edited) == 2)
        var extra = sampleChart
        extra.id = "demo.client.extra"
        try store.save(extra)
        try store.bind(protocolName: "demo", role: "client", trigger: "receive", to: extra.id)

        try store.reset(bundled: [sampleChart])
        #expect(try store.summaries().map(\.id) == [sampleChart.id])
        #expect(try store.load(sampleChart.id) == StoredChart(chart: sampleChart, revision: 3, draft: false))
        #expect(try store.chart(sampleChart.id, at: 2) == edited)
        #expect(
            try store.bindings() == [
                Binding(protocolName: "demo", role: "client", trigger: "receive", chartID: sampleChart.id)
            ])
        #expect(try store.changes(chartID: extra.id).last?.what == "chart removed")
        #expect(try store.changes(chartID: extra.id).last?.via == "cli")
        // A chart already as bundled is left at its revision.
        try store.reset(bundled: [sampleChart])
        #expect(try store.load(sampleChart.id)?.revision == 3)
    }

    @Test func anImportWithTwoFilesForOneChartWritesNothing() throws {
        let dir = URL(fileURLWithPath: storePath()).deletingLastPathComponent()
        for name in ["a.flow", "b.flow"] {
            try ChartText.format(sampleChart).write(
                to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let store = try ChartStore(path: dir.appendingPathComponent("db.sqlite").path, seed: false)
        do {
            _ = try store.importFiles([dir.path])
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains("chart demo.client.receive is defined by more than one file"))
        }
        #expect(try store.summaries().isEmpty)
    }

    @Test func twoThreadsCreatingOneNewDatabaseBothSucceedAndSeedOnce() throws {
        for _ in 0..<3 {
            let path = storePath()
            let results = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                let outcome: String
                do { outcome = "\(try ChartStore(path: path, bundled: [sampleChart]).summaries().map(\.id))" } catch {
                    outcome = "\(error)"
                }
                results.withLock { $0.append(outcome) }
            }
            #expect(results.withLock { $0 } == ["[\"demo.client.receive\"]", "[\"demo.client.receive\"]"])
            let db = try Database(path: path)
            #expect(try db.scalar("SELECT count(*) FROM changes WHERE what = 'chart added'") == .integer(1))
            #expect(try db.scalar("SELECT revision FROM charts") == .integer(1))
            #expect(try db.scalar("SELECT count(*) FROM schema_migrations") == .integer(Int64(Migration.bundled.count)))
        }
    }
}

@Suite struct ExportSafetyTests {
    @Test func chartIDsThatAreNoFileNamesAreRefused() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        for bad in ["../../x", "/etc/passwd", ".hidden", "a/b", "x\u{0}y"] {
            var chart = sampleChart
            chart.id = bad
            // The schema's trigger refuses a stored id; copy and rename check the name pattern first.
            let trigger = "a chart id or protocol may not hold \"/\", \"..\", a NUL or start with \".\""
            var shown = ""
            JSON.quote(bad, into: &shown)
            let pattern = "the chart id \(shown) is not a valid name"
            let attempts: [(String, () throws -> Void)] = [
                (trigger, { try store.save(chart) }), (pattern, { try store.copy(sampleChart.id, to: bad) }),
                (pattern, { _ = try store.rename(sampleChart.id, to: bad) }),
            ]
            for (expected, attempt) in attempts {
                guard case .refused(let sentence)? = storeError(attempt) else {
                    Issue.record("stored, copied or renamed to \(bad)")
                    continue
                }
                #expect(sentence.hasPrefix(expected), Comment(rawValue: sentence))
            }
        }
        #expect(try store.summaries().map(\.id) == [sampleChart.id])
    }

    @Test func exportNeverWritesOutsideItsFolder() throws {
        let dir = URL(fileURLWithPath: storePath()).deletingLastPathComponent()
        let store = try ChartStore(path: dir.appendingPathComponent("db.sqlite").path, seed: false)
        try store.save(sampleChart)
        // The schema refuses such a name (migration 0011); a database made before it may hold one.
        guard
            case .refused(let refused)? = storeError({
                try store.executeSQL("UPDATE charts SET protocol = '../escape' WHERE id = 'demo.client.receive'")
            })
        else {
            Issue.record("a protocol that climbs out of the folder was stored")
            return
        }
        #expect(refused == "a chart id or protocol may not hold \"/\", \"..\", a NUL or start with \".\"")
        try store.executeSQL(
            """
            DROP TRIGGER chart_renamed_names_are_file_names;
            UPDATE charts SET protocol = '../escape' WHERE id = 'demo.client.receive';
            """)
        let out = dir.appendingPathComponent("out/inner")
        guard case .file(let file, let reason)? = storeError({ _ = try store.export(ids: nil, to: out.path) }) else {
            Issue.record("a chart was exported outside the folder")
            return
        }
        #expect(file == out.path + "/../escape/demo.client.receive.flow")
        #expect(
            reason
                == "'../escape' cannot be a file or folder name (chart demo.client.receive); nothing more was written")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/escape").path))
    }
}
