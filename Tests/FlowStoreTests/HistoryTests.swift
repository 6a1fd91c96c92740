import FlowEngine
import FlowRuntime
import FlowchartModel
import Foundation
import SQLiteKit
import Testing

@testable import FlowStore

@Suite struct HistoryTests {
    @Test func aSaveLogsOnlyWhatChangedAndAnUnchangedSaveMakesNoRevision() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        var changed = sampleChart
        changed.nodes[0].edges[1].target = "A2"
        #expect(try store.save(changed) == 2)
        #expect(try store.save(changed) == 2)
        let history = try store.revisions(of: sampleChart.id)
        #expect(history.map(\.revision) == [1, 2])
        #expect(history[0].changes == ["chart added: Demo (3 nodes)"])
        #expect(history[1].changes == ["edge changed D1: no -> E3  =>  no -> A2"])
        #expect(history[1].via == "cli")
    }

    @Test func everyRevisionCanBeReadDiffedAndRestored() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        try store.executeSQL(
            "UPDATE nodes SET label = 'Is it on?' WHERE chart_id = 'demo.client.receive' AND id = 'D1'")
        var third = try #require(try store.load(sampleChart.id)).chart
        third.nodes[1].body = "incr(device.n, 5)"
        try store.save(third)
        #expect(try store.revisions(of: sampleChart.id).map(\.via) == ["cli", "sql", "cli"])
        #expect(try store.chart(sampleChart.id, at: 1) == sampleChart)
        #expect(try store.chart(sampleChart.id, at: 3) == third)
        let diff = ChartDiff(old: try store.chart(sampleChart.id, at: 1), new: try store.chart(sampleChart.id, at: 3))
        #expect(diff.changes.count == 2)
        #expect(try store.revert(sampleChart.id, to: 1) == 4)
        #expect(try store.load(sampleChart.id)?.chart == sampleChart)
        #expect(try store.chart(sampleChart.id, at: 4) == sampleChart)
        guard case .file(let id, let reason)? = storeError({ _ = try store.chart(sampleChart.id, at: 9) }) else {
            Issue.record("revision 9 was read")
            return
        }
        #expect(id == sampleChart.id && reason == "has no revision 9 (it has 1, 2, 3, 4)")
    }

    @Test func renameCarriesHistoryCopyStartsFreshBindMoves() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        try store.copy(sampleChart.id, to: "demo.client.receive_copy")
        #expect(try store.load("demo.client.receive_copy")?.revision == 1)
        try store.bind(protocolName: "demo", role: "client", trigger: "receive", to: "demo.client.receive_copy")
        #expect(try store.bindings().first?.chartID == "demo.client.receive_copy")
        #expect(try store.rename(sampleChart.id, to: "demo.client.receive_v2") == 2)
        #expect(try store.load(sampleChart.id) == nil)
        #expect(try store.revisions(of: "demo.client.receive_v2").map(\.revision) == [1, 2])
        #expect(try store.chart("demo.client.receive_v2", at: 1).nodes == sampleChart.nodes)
        guard
            case .file(let id, let reason)? = storeError({
                _ = try store.rename("demo.client.receive_v2", to: "demo.client.receive_copy")
            })
        else {
            Issue.record("a rename onto an existing chart was made")
            return
        }
        #expect(id == "demo.client.receive_copy" && reason == "a chart with that id exists already")
    }

    @Test func copyAndRenameRefuseIdsThatAreNoChartNames() throws {
        let store = try ChartStore(path: storePath(), seed: false)
        try store.save(sampleChart)
        for bad in ["A B", "../x", ".hidden", "x/y"] {
            guard case .refused(let message)? = storeError({ try store.copy(sampleChart.id, to: bad) }) else {
                Issue.record("a copy named \(bad) was made")
                continue
            }
            #expect(message.contains("nothing was changed"))
            guard case .refused? = storeError({ _ = try store.rename(sampleChart.id, to: bad) }) else {
                Issue.record("a rename to \(bad) was made")
                continue
            }
        }
        #expect(try store.loadAll().map(\.chart.id) == [sampleChart.id])
    }

    @Test func anOlderDatabaseGetsABaselineSnapshot() throws {
        let path = storePath()
        let first3 = Array(Migration.bundled.prefix(3))
        let old = try ChartStore(path: path, seed: false, migrator: Migrator(first3))
        // What an older build stored (it wrote no snapshots).
        try old.executeSQL(
            """
            INSERT INTO charts (id, title, protocol, role, trigger) VALUES ('old.x.y', 'Old', 'old', 'x', 'y');
            INSERT INTO nodes (chart_id, id, position, kind, label, body) VALUES ('old.x.y', 'E1', 0, 'end', 'done', 'done');
            """)
        let upgraded = try ChartStore(path: path, seed: false)
        let loaded = try #require(try upgraded.load("old.x.y"))
        #expect(loaded.revision == 2)
        #expect(try upgraded.chart("old.x.y", at: 2) == loaded.chart)
        #expect(try upgraded.revisions(of: "old.x.y").map(\.revision) == [2])
    }
}

@Suite struct LiveChartsTests {
    @Test func aChangeByAnotherConnectionRecompilesJustThatChart() throws {
        let path = storePath()
        let reader = try ChartStore(path: path)
        let live = try LiveCharts(store: reader)
        #expect(try live.refresh() == [])
        let before = try Runner.run(
            programs: live.programs, chart: "dhcp.client.discover", context: ["iface": ["up": true]])
        #expect(before.path == ["D1:yes", "D2:no", "E2"])

        // Another connection (as another process would) swaps D2's branches.
        let writer = try ChartStore(path: path)
        var chart = try #require(try writer.load("dhcp.client.discover")).chart
        try ChartEdit.swapBranches("D2").apply(to: &chart)
        try writer.save(chart)

        #expect(try live.refresh() == ["dhcp.client.discover"])
        #expect(live.revisions["dhcp.client.discover"] == 2)
        #expect(live.revisions["dhcp.server.receive"] == 1)
        let after = try Runner.run(
            programs: live.programs, chart: "dhcp.client.discover",
            context: ["iface": ["up": true], "env": ["ids": ["0x1"]]])
        #expect(after.path.prefix(3) == ["D1:yes", "D2:no", "D3:no"])
        #expect(try live.refresh() == [])
    }

    @Test func anInvalidChangeKeepsTheLastValidProgram() throws {
        let path = storePath()
        let live = try LiveCharts(store: try ChartStore(path: path))
        let writer = try ChartStore(path: path)
        try writer.executeSQL(
            "UPDATE nodes SET body = 'eq(iface.up)' WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        #expect(try live.refresh() == [])
        #expect(live.problems.contains { $0.chart == "dhcp.client.discover" && $0.node == "D1" })
        let still = try Runner.run(
            programs: live.programs, chart: "dhcp.client.discover", context: ["iface": ["up": false]])
        #expect(still.path == ["D1:no", "E1"])
    }
}

@Suite struct BundledUpdateTests {
    @Test func aNewerBundleUpdatesUneditedChartsAndKeepsEditedOnes() throws {
        let path = storePath()
        var other = sampleChart
        other.id = "demo.client.other"
        _ = try ChartStore(path: path, bundled: [sampleChart, other])

        // The user edits one of them.
        let store = try ChartStore(path: path, bundled: [sampleChart, other])
        var edited = other
        edited.nodes[0].label = "mine"
        try store.save(edited)

        // A newer build bundles changed versions of both.
        var v2 = sampleChart
        v2.nodes[0].label = "bundled v2"
        var otherV2 = other
        otherV2.nodes[0].label = "bundled v2"
        let upgraded = try ChartStore(path: path, bundled: [v2, otherV2])
        #expect(try upgraded.load(sampleChart.id)?.chart == v2)
        #expect(try upgraded.load(sampleChart.id)?.revision == 2)
        #expect(try upgraded.load(other.id)?.chart == edited)

        // Opening again changes nothing; reset takes the bundled version of the edited one too.
        _ = try ChartStore(path: path, bundled: [v2, otherV2])
        #expect(try upgraded.load(sampleChart.id)?.revision == 2)
        try upgraded.reset(bundled: [v2, otherV2])
        #expect(try upgraded.load(other.id)?.chart == otherV2)
    }
}
