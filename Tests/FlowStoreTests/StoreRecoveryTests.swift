import FlowchartModel
import Foundation
import SQLiteKit
import Testing

@testable import FlowStore

/// The StoreError a call threw (nil when it threw nothing or something else), to assert its case.
func storeError(_ body: () throws -> Void) -> StoreError? {
    do { try body() } catch let error as StoreError { return error } catch { return nil }
    return nil
}

/// Files that are not a usable database, and schema files that are not migrations, are named
/// and refused; rows a hand edit would orphan are removed with what they belong to.
@Suite struct StoreRecoveryTests {
    @Test func anEmptyFileIsRefusedUnlessAskedToMakeADatabaseOfIt() throws {
        let path = storePath()
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        guard case .emptyFile(let named)? = storeError({ _ = try ChartStore(path: path, bundled: [sampleChart]) })
        else {
            Issue.record("an empty file was opened")
            return
        }
        #expect(named == path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        let store = try ChartStore(path: path, bundled: [sampleChart], allowEmptyFile: true)
        #expect(try store.summaries().map(\.id) == [sampleChart.id])
    }

    @Test func aDamagedFileIsNamedAndNotWritten() throws {
        let path = storePath()
        let store = try ChartStore(path: path, bundled: [sampleChart])
        try store.executeSQL("PRAGMA wal_checkpoint(TRUNCATE)")
        let db = try Database(path: path)
        let pages = try #require(db.scalar("PRAGMA page_count").int64)
        #expect(pages > 4)
        // Scribble over the second half of the pages (the schema, at the start, still reads).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(4096 * (pages / 2)))
        handle.write(Data(repeating: 0xFF, count: 4096 * Int(pages - pages / 2)))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        guard
            case .damaged(let named, let findings)? = storeError({
                _ = try ChartStore(path: path, bundled: [sampleChart])
            })
        else {
            Issue.record("a damaged file was opened")
            return
        }
        #expect(named == path)
        #expect(!findings.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aMisnamedOrDoubledMigrationFileIsRefused() throws {
        for name in [
            "Migrations/9_x.sql", "Migrations/0009-x.sql", "Migrations/0009_X.sql", "Migrations/0009_x.txt",
            "Migrations/abcd_x.sql",
        ] {
            guard case .misnamedMigration(let file)? = storeError({ _ = try Migration.parse([(name, "SELECT 1;")]) })
            else {
                Issue.record("\(name) was taken")
                continue
            }
            #expect(file == name)
        }
        guard
            case .misnamedMigration(let file)? = storeError({
                _ = try Migration.parse([("Migrations/0009_a.sql", ""), ("Migrations/0009_b.sql", "")])
            })
        else {
            Issue.record("two files numbered 9 were taken")
            return
        }
        #expect(file == "Migrations/0009_b.sql (number 9 is also a)")
        #expect(try Migration.parse([("M/0002_b.sql", "2"), ("M/0001_a_1.sql", "1")]).map(\.name) == ["a_1", "b"])
        #expect(Migration.bundledProblems.isEmpty)
    }

    @Test func eachMigrationIsItsOwnTransaction() throws {
        let path = storePath()
        _ = try ChartStore(path: path, seed: false)
        let good = Migration(version: 100, name: "good", sql: "CREATE TABLE good_table (x);")
        let bad = Migration(version: 101, name: "bad", sql: "CREATE TABLE half_done (x); CREATE TABLE charts (x);")
        guard
            case .migrationFailed(_, let version, _, _)? = storeError({
                _ = try ChartStore(path: path, seed: false, migrator: Migrator(Migration.bundled + [good, bad]))
            })
        else {
            Issue.record("the broken migration was applied")
            return
        }
        #expect(version == 101)
        let db = try Database(path: path)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'good_table'") == .integer(1))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == .integer(0))
        #expect(try db.scalar("SELECT max(version) FROM schema_migrations") == .integer(100))
    }

    @Test func aNoOpUpdateMakesNoRevisionAndKeepsTheLastOnesAttribution() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        try store.executeSQL("UPDATE nodes SET label = 'By hand?' WHERE chart_id = 'demo.client.receive' AND id = 'D1'")
        let saved = try store.update(sampleChart.id) { current, _ in (current, false) }
        #expect(saved == Saved(revision: 2, changed: false))
        #expect(try store.revisions(of: sampleChart.id).map(\.via) == ["cli", "sql"])
        // A save of the same chart also leaves revision 2 attributed to SQL.
        let current = try #require(try store.load(sampleChart.id)).chart
        #expect(try store.save(current) == 2)
        #expect(try store.revisions(of: sampleChart.id).map(\.via) == ["cli", "sql"])
        let changed = try store.update(sampleChart.id) { current, _ in
            var chart = current
            chart.nodes[0].label = "On?"
            return (chart, false)
        }
        #expect(changed == Saved(revision: 3, changed: true))
    }

    @Test func aFullDiskIsNamedAndChangesNothing() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        let pages = try #require(try Database(path: store.path).scalar("PRAGMA page_count").int64)
        try store.executeSQL("PRAGMA max_page_count = \(pages)")
        var big = sampleChart
        big.id = "demo.client.big"
        big.description = String(repeating: "a long description ", count: 20_000)
        guard case .diskFull(let path)? = storeError({ try store.save(big) }) else {
            Issue.record("a save past the size limit did not fail as a full disk")
            return
        }
        #expect(path == store.path)
        #expect(try store.summaries().map(\.id) == [sampleChart.id])
    }

    @Test func deletingANodeOrAChartByHandTakesWhatBelongsToItEvenWithForeignKeysOff() throws {
        let path = storePath()
        let store = try ChartStore(path: path, seed: false)
        try store.save(sampleChart)
        let db = try Database(path: path)
        try db.execute("PRAGMA foreign_keys = OFF")
        try db.execute("DELETE FROM nodes WHERE chart_id = 'demo.client.receive' AND id = 'A2'")
        #expect(try db.scalar("SELECT count(*) FROM edges WHERE from_node = 'A2'") == .integer(0))
        #expect(try store.orphans().isEmpty)
        try db.execute("UPDATE nodes SET id = 'D9' WHERE chart_id = 'demo.client.receive' AND id = 'D1'")
        #expect(try db.query("SELECT DISTINCT from_node FROM edges").map { $0.text("from_node") } == ["D9"])
        try db.execute("DELETE FROM charts WHERE id = 'demo.client.receive'")
        #expect(
            try db.scalar(
                "SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM edges) + (SELECT count(*) FROM bindings)")
                == .integer(0))
        // Rows that would belong to nothing are refused, with a sentence saying why.
        for (sql, message) in [
            (
                "INSERT INTO nodes (chart_id, id, position, kind, body) VALUES ('gone', 'A1', 0, 'action', 'f()')",
                "a node must belong to a chart that exists"
            ),
            (
                "INSERT INTO edges (chart_id, from_node, outcome, to_node, position) VALUES ('gone', 'A1', 'next', 'E1', 0)",
                "an edge must leave a node that exists"
            ),
            (
                "INSERT INTO bindings (protocol, role, trigger, chart_id) VALUES ('p', 'r', 't', 'gone')",
                "a binding must name a chart that exists"
            ),
        ] {
            do {
                try db.execute(sql)
                Issue.record("taken: \(sql)")
            } catch {
                #expect(error.message.hasPrefix(message), Comment(rawValue: error.message))
            }
        }
    }

    @Test func orphansLeftBeforeMigration9AreNamedThenRemoved() throws {
        let path = storePath()
        let old = try ChartStore(
            path: path, seed: false, migrator: Migrator(Migration.bundled.filter { $0.version != 9 }))
        try old.save(sampleChart)
        let db = try Database(path: path)
        try db.execute("PRAGMA foreign_keys = OFF")
        try db.execute("DELETE FROM nodes WHERE chart_id = 'demo.client.receive' AND id = 'D1'")
        #expect(
            try old.orphans() == [
                "edge demo.client.receive D1 no -> E3, whose node D1 does not exist",
                "edge demo.client.receive D1 yes -> A2, whose node D1 does not exist",
            ])
        // Saving the chart as it was (what revert and import do) works despite them.
        #expect(try old.save(sampleChart) == 3)
        #expect(try old.load(sampleChart.id)?.chart == sampleChart)
        try db.execute("DELETE FROM charts WHERE id = 'demo.client.receive'")
        #expect(
            try old.orphans() == [
                "binding demo client receive -> demo.client.receive, a chart that does not exist",
                "node A2 of chart demo.client.receive, which does not exist",
                "node D1 of chart demo.client.receive, which does not exist",
                "node E3 of chart demo.client.receive, which does not exist",
            ])
        let upgraded = try ChartStore(path: path, seed: false)
        #expect(try upgraded.orphans().isEmpty)
        #expect(try db.scalar("SELECT count(*) FROM nodes") == .integer(0))
    }

    @Test func theSnapshotOfARevisionIsDefinedOnceInTheSchema() throws {
        let path = storePath()
        let store = try ChartStore(path: path, seed: false)
        try store.save(sampleChart)
        try store.executeSQL(
            "UPDATE nodes SET body = 'incr(device.n, 3)' WHERE chart_id = 'demo.client.receive' AND id = 'A2'")
        let db = try Database(path: path)
        let defining = try db.query("SELECT name FROM sqlite_master WHERE sql LIKE '%json_group_array%' ORDER BY name")
            .map { $0.text("name") }
        #expect(defining == ["chart_snapshot"])
        // Both paths (l7flow's save, an SQL edit's trigger) wrote it through the view.
        #expect(
            try db.query("SELECT revision, via FROM chart_revisions ORDER BY revision").map {
                "\($0.int("revision")) \($0.text("via"))"
            }
                == ["1 cli", "2 sql"])
        #expect(try store.chart(sampleChart.id, at: 2).nodes[1].body == "incr(device.n, 3)")
        #expect(try store.chart(sampleChart.id, at: 1) == sampleChart)
    }

    @Test func refreshingTheBundleSaysWhatItAddedUpdatedAndKept() throws {
        let path = storePath()
        var other = sampleChart
        other.id = "demo.client.other"
        var third = sampleChart
        third.id = "demo.client.third"
        let first = try ChartStore(path: path, bundled: [sampleChart, other])
        #expect(first.bundleUpdate == BundleUpdate(added: [sampleChart.id, other.id]))
        var edited = other
        edited.nodes[0].label = "mine"
        try first.save(edited)

        var v2 = sampleChart
        v2.nodes[0].label = "bundled v2"
        var otherV2 = other
        otherV2.nodes[0].label = "bundled v2"
        let upgraded = try ChartStore(path: path, bundled: [v2, otherV2, third])
        #expect(upgraded.bundleUpdate == BundleUpdate(added: [third.id], updated: [sampleChart.id], kept: [other.id]))
        #expect(try upgraded.load(other.id)?.chart == edited)
        // The same bundle again: nothing to do, so opening reads no charts.
        #expect(try ChartStore(path: path, bundled: [v2, otherV2, third]).bundleUpdate == nil)
    }
}
