import FlowStore
import FlowchartModel
import Foundation
import SQLiteKit
import Testing

/// Whatever a person does to the database by hand, l7flow names it and can put it right; a file
/// that is not a usable database is refused; an upgrade keeps the charts the user edited.
@Suite struct RecoveryTests {
    func ok(_ dir: URL, _ args: [String]) throws -> String {
        let r = try Binary.run(args, in: dir)
        #expect(r.status == 0, Comment(rawValue: "\(args): \(r.stderr)"))
        return r.stdout
    }

    /// The SQL error a statement gets (nil when it is taken).
    func refusal(_ db: Database, _ sql: String) -> String? {
        do { try db.execute(sql) } catch { return error.message }
        return nil
    }

    @Test func everyKindOfRawSQLDamageIsPutRightWithL7flowAlone() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        _ = try ok(dir, ["init"])
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute("PRAGMA foreign_keys = OFF")  // as sqlite3 runs

        // Delete a node: its edges go with it; the edge that led to it dangles and is named.
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.client.discover' AND id = 'E1'")
        // Dangle an edge.
        let target = try db.scalar(
            "SELECT to_node FROM edges WHERE chart_id = 'dhcp.client.receive' AND from_node = 'D1' AND outcome = 'no'"
        ).text
        try db.execute(
            "UPDATE edges SET to_node = 'Z9' WHERE chart_id = 'dhcp.client.receive' AND from_node = 'D1' AND outcome = 'no'"
        )
        // Break a body.
        try db.execute(
            "UPDATE nodes SET body = 'eq(device.dhcp_server.enabled' WHERE chart_id = 'dhcp.server.receive' AND id = 'D1'"
        )
        // Duplicate a binding, bind to no chart, and move a binding to the wrong chart.
        #expect(
            refusal(
                db,
                "INSERT INTO bindings (protocol, role, trigger, chart_id) VALUES ('dhcp', 'client', 'discover', 'dhcp.client.receive')"
            )
                == "UNIQUE constraint failed: bindings.protocol, bindings.role, bindings.trigger")
        #expect(
            refusal(
                db,
                "INSERT INTO bindings (protocol, role, trigger, chart_id) VALUES ('dhcp', 'client', 'renew', 'dhcp.client.renew')"
            )
                == "a binding must name a chart that exists")
        #expect(
            refusal(
                db,
                "INSERT INTO edges (chart_id, from_node, outcome, to_node, position) VALUES ('dhcp.client.discover', 'A99', 'next', 'E2', 99)"
            )
                == "an edge must leave a node that exists (insert the node first)")
        try db.execute(
            "UPDATE bindings SET chart_id = 'dhcp.client.receive' WHERE protocol = 'dhcp' AND role = 'client' AND trigger = 'discover'"
        )
        // Delete a whole chart: its nodes, edges and bindings go too.
        try db.execute("DELETE FROM charts WHERE id = 'dhcp.client.timeout'")
        #expect(try db.scalar("SELECT count(*) FROM nodes WHERE chart_id = 'dhcp.client.timeout'") == .integer(0))

        let validate = try Binary.run(["validate"], in: dir)
        #expect(validate.status == 1)
        #expect(
            validate.stdout.contains(
                "dhcp.client.discover D1: the no edge leads to E1, which is not a node of this chart"))
        #expect(
            validate.stdout.contains(
                "dhcp.client.receive D1: the no edge leads to Z9, which is not a node of this chart"))
        #expect(
            validate.stdout.contains(
                "dhcp.server.receive D1: cannot read 'eq(device.dhcp_server.enabled': expected ',' or ')' in the arguments of 'eq'"
            ))
        #expect(validate.stderr.contains("problems in 3 of 60 charts"))

        // Put right with l7flow: revert, an edit, set-body, bind and init.
        _ = try ok(dir, ["revert", "dhcp.client.discover", "1"])
        _ = try ok(dir, ["edit", "retarget", "dhcp.client.receive", "D1", "no", try #require(target)])
        _ = try ok(dir, ["revert", "dhcp.server.receive", "1"])
        _ = try ok(dir, ["edit", "bind", "dhcp", "client", "discover", "dhcp.client.discover"])
        #expect(try ok(dir, ["init"]).contains("added 1: dhcp.client.timeout"))
        #expect(try ok(dir, ["validate"]).split(separator: "\n").last?.hasPrefix("61 charts valid") == true)
        let bundledBindings = try db.query(
            "SELECT protocol || ' ' || role || ' ' || trigger || ' ' || chart_id AS b FROM bindings ORDER BY 1")
        #expect(bundledBindings.contains { $0.text("b") == "dhcp client discover dhcp.client.discover" })
        #expect(try db.scalar("PRAGMA integrity_check") == .text("ok"))
        let out = dir.appendingPathComponent("out")
        _ = try ok(
            dir, ["export", "dhcp.client.discover", "dhcp.client.receive", "dhcp.server.receive", "--to", out.path])
        for file in [
            "dhcp/dhcp.client.discover.flow", "dhcp/dhcp.client.receive.flow", "dhcp/dhcp.server.receive.flow",
        ] {
            let exported = try ChartText.parse(
                String(contentsOf: out.appendingPathComponent(file), encoding: .utf8), source: file)
            let bundled = try ChartText.parse(
                String(contentsOf: EditingTests.root.appendingPathComponent("Flowcharts/" + file), encoding: .utf8),
                source: file)
            #expect(exported == bundled, Comment(rawValue: file))
        }
    }

    /// What the issue saw: a database whose schema lets a hand delete leave a node's edge behind
    /// (as one made before migration 0009, or with its trigger dropped). validate names the orphan;
    /// revert, import and init --reset all still work, and init removes it.
    @Test func anOrphanEdgeIsNamedAndEveryRepairWorks() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        _ = try ok(dir, ["init"])
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute("PRAGMA foreign_keys = OFF")
        try db.execute("DROP TRIGGER node_removed_edges")
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        let validate = try Binary.run(["validate"], in: dir)
        #expect(validate.status == 1)
        #expect(
            validate.stdout.contains(
                "database: edge dhcp.client.discover D1 no -> E1, whose node D1 does not exist (l7flow init removes it)"
            ))
        #expect(validate.stderr.contains("2 orphan rows in the database"))
        #expect(try ok(dir, ["revert", "dhcp.client.discover", "1"]).contains("revision 3"))
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        let file = EditingTests.root.appendingPathComponent("Flowcharts/dhcp/dhcp.client.discover.flow").path
        #expect(try ok(dir, ["import", file]) == "imported dhcp.client.discover\n")
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        #expect(try ok(dir, ["init", "--reset"]).contains("(reset to the bundled versions)"))
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.client.discover' AND id = 'D1'")
        let initOut = try ok(dir, ["init"])
        #expect(initOut.contains("removed edge dhcp.client.discover D1 no -> E1, whose node D1 does not exist"))
        _ = try ok(dir, ["revert", "dhcp.client.discover", "1"])
        #expect(try ok(dir, ["validate"]).split(separator: "\n").last?.hasPrefix("61 charts valid") == true)
    }

    @Test func anEmptyDamagedOrReadOnlyFileGetsAClearErrorAndExitOne() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let empty = dir.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let refused = try Binary.run(["--db", empty, "list"], in: dir)
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "error: \(empty) is an empty file, not an l7flow database; run 'l7flow --db \(empty) init' to make it one\n"
        )
        #expect(try ok(dir, ["--db", empty, "init"]).hasPrefix("\(empty): 61 charts\nadded 61: "))

        let damaged = dir.appendingPathComponent("damaged.sqlite").path
        _ = try ok(dir, ["--db", damaged, "init"])
        let pages = try #require(try Database(path: damaged).scalar("PRAGMA page_count").int64)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: damaged))
        try handle.seek(toOffset: UInt64(4096 * (pages / 2)))
        handle.write(Data(repeating: 0xFF, count: 4096 * 8))
        try handle.close()
        for args in [["list"], ["init"], ["validate"], ["edit", "relabel", "dhcp.client.discover", "D1", "x"]] {
            let r = try Binary.run(["--db", damaged] + args, in: dir)
            #expect(r.status == 1, Comment(rawValue: "\(args)"))
            #expect(
                r.stderr.hasPrefix(
                    "error: \(damaged) is damaged (SQLite's integrity check failed), so it was not used"),
                Comment(rawValue: r.stderr))
        }

        let truncated = dir.appendingPathComponent("truncated.sqlite").path
        _ = try ok(dir, ["--db", truncated, "init"])
        try Database(path: truncated).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: truncated)[.size] as? Int)
        let cut = try FileHandle(forWritingTo: URL(fileURLWithPath: truncated))
        try cut.truncate(atOffset: UInt64(size / 2))
        try cut.close()
        let cutShort = try Binary.run(["--db", truncated, "list"], in: dir)
        #expect(cutShort.status == 1)
        #expect(
            cutShort.stderr.hasPrefix("error: \(truncated) is damaged (SQLite's integrity check failed)"),
            Comment(rawValue: cutShort.stderr))

        let readOnly = dir.appendingPathComponent("readonly.sqlite").path
        _ = try ok(dir, ["--db", readOnly, "init"])
        try makeReadOnly(readOnly)
        defer { try? makeWritable(readOnly) }
        #expect(
            try ok(dir, ["--db", readOnly, "show", "dhcp.client.discover"]).hasPrefix("chart dhcp.client.discover"))
        let write = try Binary.run(
            ["--db", readOnly, "edit", "relabel", "dhcp.client.discover", "D1", "x", "--json"], in: dir)
        #expect(write.status == 1)
        #expect(try JSON.parse(write.stderr)["error"]["code"] == "read-only")
        #expect(
            try JSON.parse(write.stderr)["error"]["message"]
                == .string("\(readOnly) cannot be written (the file or its folder is read-only); nothing was changed"))
    }

    /// A file no process may write: mode 0444, and immutable when the tests run as root (who may
    /// write any file whatever its mode).
    func makeReadOnly(_ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        if geteuid() == 0 { try chattr("+i", path) }
    }

    func makeWritable(_ path: String) throws {
        if geteuid() == 0 { try chattr("-i", path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    func chattr(_ flag: String, _ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        p.arguments = [flag, path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "chattr \(flag) failed")
    }

    /// Issue 9: a database made with an older bundle, one of the changed charts edited by the
    /// user; `init` with the current bundle updates the unedited ones, keeps the edited one and
    /// says so.
    @Test func initAfterAnUpgradeKeepsTheEditedChartAndNamesIt() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let path = dir.appendingPathComponent("l7flow.sqlite").path
        let current = try ChartStore.bundledCharts()
        let changed = ["dhcp.client.discover", "dns.server.receive", "tftp.client.request"]
        // The older bundle: those three charts had other first labels.
        let older = current.map { chart in
            guard changed.contains(chart.id) else { return chart }
            var old = chart
            old.nodes[0].label += " (as an older build had it)"
            return old
        }
        let oldStore = try ChartStore(path: path, bundled: older)
        var mine = try #require(try oldStore.load("dns.server.receive")).chart
        mine.nodes[1].label = "My own question?"
        try oldStore.save(mine)

        let out = try ok(dir, ["init"])
        #expect(
            out.contains("updated to the bundled version 2: dhcp.client.discover, tftp.client.request\n"),
            Comment(rawValue: out))
        #expect(
            out.contains(
                "kept 1 edited chart (a newer bundled version exists; 'l7flow init --reset' takes it): dns.server.receive\n"
            ))
        let store = try ChartStore(path: path)
        #expect(try store.load("dns.server.receive")?.chart == mine)
        for id in ["dhcp.client.discover", "tftp.client.request"] {
            #expect(try store.load(id)?.chart == current.first { $0.id == id })
        }
        // Asked again, init still names the chart it keeps; --json lists it.
        let again = try JSON.parse(try ok(dir, ["init", "--json"]))
        #expect(again["kept"] == ["dns.server.receive"])
        #expect(again["updated"] == [])
    }
}
