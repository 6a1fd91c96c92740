import FlowchartModel
import Foundation
import SQLiteKit
import Testing

@testable import FlowStore

func storePath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flowstore-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("l7flow.sqlite").path
}

let sampleChart = Chart(
    id: "demo.client.receive", title: "Demo", protocolName: "demo", role: "client", trigger: "receive",
    source: "RFC 0", description: "two lines\nof prose",
    nodes: [
        Node(
            id: "D1", kind: .decision, label: "On?", body: "eq(device.on, true)",
            edges: [Edge(.yes, "A2"), Edge(.no, "E3")]),
        Node(id: "A2", kind: .action, label: "Count", body: "incr(device.n, 1)", edges: [Edge(.next, "E3")]),
        Node(id: "E3", kind: .end, label: "done", body: "done"),
    ])

@Suite struct MigrationTests {
    @Test func aFreshDatabaseHasEveryTableViewAndVersion() throws {
        let path = storePath()
        _ = try ChartStore(path: path, seed: false)
        let db = try Database(path: path)
        let names = Set(
            try db.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").map { $0.text("name") })
        #expect(
            names.isSuperset(of: [
                "charts", "nodes", "edges", "bindings", "changes", "edit_context", "chart_nodes", "chart_summary",
                "schema_migrations",
            ]))
        #expect(
            try db.query("SELECT version FROM schema_migrations ORDER BY version").map { $0.int("version") }
                == Migration.bundled.map(\.version))
        #expect(Migration.bundled.first?.version == 1)
        #expect(Migration.bundled.map(\.version) == Array(Set(Migration.bundled.map(\.version))).sorted())
    }

    @Test func anOlderDatabaseIsUpgradedInPlace() throws {
        let path = storePath()
        let first = Array(Migration.bundled.prefix(1))
        _ = try ChartStore(path: path, seed: false, migrator: Migrator(first))
        let db = try Database(path: path)
        try db.execute("INSERT INTO charts (id, protocol, role, trigger) VALUES ('old.chart.x', 'old', 'chart', 'x')")
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'changes'") == .integer(0))

        let store = try ChartStore(path: path, seed: false)
        #expect(try db.query("SELECT version FROM schema_migrations").count == Migration.bundled.count)
        #expect(try store.summaries().map(\.id) == ["old.chart.x"])
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'changes'") == .integer(1))
    }

    @Test func aDatabaseFromANewerBuildIsRefused() throws {
        let path = storePath()
        _ = try ChartStore(path: path, seed: false)
        try Database(path: path).execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
        guard
            case .newerSchema(_, let version, let known)? = storeError({ _ = try ChartStore(path: path, seed: false) })
        else {
            Issue.record("a database of a newer build was opened")
            return
        }
        #expect(version == 999 && known == Migration.bundled.last?.version)
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let path = storePath()
        let broken =
            Migration.bundled + [
                Migration(version: 100, name: "broken", sql: "CREATE TABLE ok_table (x); CREATE TABLE charts (x);")
            ]
        guard
            case .migrationFailed(_, 100, "broken", _)? = storeError({
                _ = try ChartStore(path: path, seed: false, migrator: Migrator(broken))
            })
        else {
            Issue.record("the broken migration did not fail as migration 100")
            return
        }
        let db = try Database(path: path)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'ok_table'") == .integer(0))
    }
}

@Suite struct ChartStoreTests {
    @Test func seedsTheBundledChartsOnceAndKeepsEdits() throws {
        let path = storePath()
        let store = try ChartStore(path: path)
        let bundled = try ChartStore.bundledCharts()
        #expect(try store.summaries().count == bundled.count)
        #expect(try store.loadAll().map(\.chart) == bundled.sorted { $0.id < $1.id })
        var edited = bundled[0]
        edited.nodes[0].label = "edited"
        try store.save(edited)
        let reopened = try ChartStore(path: path)
        #expect(try reopened.load(edited.id)?.chart.nodes[0].label == "edited")
        try reopened.reset()
        #expect(try reopened.load(edited.id)?.chart == bundled[0])
    }

    @Test func saveLoadRoundTripAndOneRevisionPerSave() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        #expect(try store.save(sampleChart) == 1)
        let loaded = try #require(try store.load(sampleChart.id))
        #expect(loaded.chart == sampleChart)
        #expect(loaded.revision == 1)
        var changed = sampleChart
        changed.nodes[1].body = "incr(device.n, 2)"
        #expect(try store.save(changed) == 2)
        #expect(try store.load(sampleChart.id)?.chart == changed)
        let log = try store.changes(chartID: sampleChart.id)
        #expect(Set(log.map(\.via)) == ["cli"])
        #expect(log.last?.revision == 2)
        #expect(
            try store.bindings() == [
                Binding(protocolName: "demo", role: "client", trigger: "receive", chartID: sampleChart.id)
            ])
    }

    @Test func rawSQLEditsAreLoggedAndMoveTheRevision() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        try store.executeSQL(
            "UPDATE nodes SET body = 'eq(device.on, false)' WHERE chart_id = 'demo.client.receive' AND id = 'D1'")
        let stored = try #require(try store.load(sampleChart.id))
        #expect(stored.revision == 2)
        #expect(stored.chart.nodes[0].body == "eq(device.on, false)")
        let last = try #require(try store.changes(chartID: sampleChart.id).last)
        #expect(last.via == "sql")
        #expect(last.what == "node changed")
        #expect(last.node == "D1")
        #expect(last.revision == 2)
        #expect(last.new?.contains("eq(device.on, false)") == true)
    }

    @Test func importThenExportGivesTheFileBackByteForByte() throws {
        let dir = URL(fileURLWithPath: storePath()).deletingLastPathComponent()
        let file = dir.appendingPathComponent("demo.client.receive.flow")
        let text = ChartText.format(sampleChart)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let store = try ChartStore(path: dir.appendingPathComponent("db.sqlite").path, seed: false)
        #expect(try store.importFiles([file.path]) == ["demo.client.receive"])
        let out = dir.appendingPathComponent("out")
        let written = try store.export(ids: nil, to: out.path)
        #expect(written == [out.appendingPathComponent("demo/demo.client.receive.flow").path])
        #expect(try Data(contentsOf: URL(fileURLWithPath: written[0])) == Data(text.utf8))
    }

    @Test func aMalformedImportWritesNothing() throws {
        let dir = URL(fileURLWithPath: storePath()).deletingLastPathComponent()
        let good = dir.appendingPathComponent("a.flow")
        let bad = dir.appendingPathComponent("b.flow")
        try ChartText.format(sampleChart).write(to: good, atomically: true, encoding: .utf8)
        try "chart broken.x.y\nprotocol: x\n".write(to: bad, atomically: true, encoding: .utf8)
        let store = try ChartStore(path: dir.appendingPathComponent("db.sqlite").path, seed: false)
        guard case .unreadableCharts(let errors)? = storeError({ _ = try store.importFiles([dir.path]) }) else {
            Issue.record("a malformed file was imported")
            return
        }
        #expect(errors.count == 1 && errors[0].description.contains("b.flow"))
        #expect(try store.summaries().isEmpty)
        let refuse: ([Chart], [Chart]) -> [Diagnostic] = { incoming, _ in
            incoming.map { Diagnostic(.syntax, chart: $0.id, node: "D1", "nope") }
        }
        guard
            case .invalidCharts(let problems)? = storeError({ _ = try store.importFiles([good.path], validate: refuse) }
            )
        else {
            Issue.record("a refused chart was imported")
            return
        }
        #expect(problems == [Diagnostic(.syntax, chart: "demo.client.receive", node: "D1", "nope")])
        #expect(try store.summaries().isEmpty)
    }

    @Test func twoProcessesOpeningANewFileAtOnceSeedItOnce() async throws {
        let path = storePath()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try ChartStore(path: path).summaries().count }
            }
            for try await count in group { #expect(count == (try ChartStore.bundledCharts().count)) }
        }
        let db = try Database(path: path)
        #expect(
            try db.scalar("SELECT count(*) FROM changes WHERE what = 'chart added'")
                == .integer(Int64(try ChartStore.bundledCharts().count)))
    }

    @Test func aCorruptFileIsReportedAndLeftAlone() throws {
        let path = storePath()
        try "not sqlite at all".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ChartStore(path: path)
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains("is not an l7flow database"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not sqlite at all")
    }
}
