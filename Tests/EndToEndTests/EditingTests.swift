import FlowchartModel
import Foundation
import SQLiteKit
import Testing

/// The database is the program: edits made straight through SQL change the next run, with no
/// rebuild; whatever an edit breaks is caught before anything runs.
@Suite struct EditingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let exhausted = root.appendingPathComponent("Flowcharts/examples/dhcp-server-pool-exhausted.json").path

    func runJSON(_ dir: URL, _ args: [String]) throws -> Value {
        let r = try Binary.run(args + ["--json"], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        return try JSON.parse(r.stdout)
    }

    @Test func anSQLEditChangesTheNextRun() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let before = try runJSON(dir, ["run", "dhcp.server.receive", "--context", Self.exhausted])
        #expect(before["path"] == ["D1:yes", "D2:yes", "A3", "D4:yes", "D5:yes", "A6", "D7:no", "E1"])
        #expect(before["sent"] == [])
        #expect(before["revision"] == 1)

        // What a person does with sqlite3: point D7's no edge at the NAK action.
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute(
            "UPDATE edges SET to_node = 'A16' WHERE chart_id = 'dhcp.server.receive' AND from_node = 'D7' AND outcome = 'no'"
        )

        let after = try runJSON(dir, ["run", "dhcp.server.receive", "--context", Self.exhausted])
        #expect(after["path"] == ["D1:yes", "D2:yes", "A3", "D4:yes", "D5:yes", "A6", "D7:no", "A16", "E2"])
        #expect(after["sent"][0]["type"] == "DHCPNAK")
        #expect(after["sent"][0]["to"] == "255.255.255.255:68")
        #expect(after["revision"] == 2)
        let logged = try db.query(
            "SELECT via, what, old, new FROM changes WHERE chart_id = 'dhcp.server.receive' AND revision = 2")
        #expect(logged.map { $0.text("via") } == ["sql"])
        #expect(logged.first?.text("new") == "no -> A16")
    }

    @Test func anEditThatBreaksAChartIsCaughtBeforeItRuns() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        try Binary.run(["init"], in: dir)
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute(
            "UPDATE nodes SET body = 'dhcp.pool_for(local.link_ip, 7) as local.pool' WHERE chart_id = 'dhcp.server.receive' AND id = 'D4'"
        )
        try db.execute("DELETE FROM nodes WHERE chart_id = 'dhcp.server.receive' AND id = 'E1'")

        let validate = try Binary.run(["validate", "dhcp.server.receive"], in: dir)
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("dhcp.server.receive D4: dhcp.pool_for takes 1 argument, not 2"))
        #expect(
            validate.stdout.contains(
                "dhcp.server.receive D1: the no edge leads to E1, which is not a node of this chart"))

        let run = try Binary.run(["run", "dhcp.server.receive", "--context", Self.exhausted], in: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot run dhcp.server.receive"))
        #expect(run.stderr.contains("D4"))
        // Other charts still run.
        let other = try Binary.run(
            [
                "run", "dhcp.client.receive", "--context",
                Self.root.appendingPathComponent("Flowcharts/examples/dhcp-client-offer.json").path,
            ], in: dir)
        #expect(other.status == 0)
        // init brings back a bundled chart deleted by hand; init --reset puts edited ones back.
        try db.execute("DELETE FROM charts WHERE id = 'dhcp.client.discover'")
        #expect(try Binary.run(["init"], in: dir).status == 0)
        #expect(try db.scalar("SELECT count(*) FROM charts WHERE id = 'dhcp.client.discover'") == .integer(1))
        #expect(try Binary.run(["init", "--reset"], in: dir).status == 0)
        #expect(try Binary.run(["validate"], in: dir).status == 0)
    }

    @Test func exportReproducesTheBundledFilesByteForByte() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let out = dir.appendingPathComponent("out")
        let r = try Binary.run(["export", "--to", out.path], in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let bundled = Self.root.appendingPathComponent("Flowcharts")
        let files = FileManager.default.enumerator(atPath: bundled.path)!.compactMap { $0 as? String }.filter {
            $0.hasSuffix(".flow")
        }
        #expect(!files.isEmpty)
        for file in files {
            let original = try Data(contentsOf: bundled.appendingPathComponent(file))
            let exported = try Data(contentsOf: out.appendingPathComponent(file))
            #expect(original == exported, Comment(rawValue: file))
        }
        // Import of the exported files makes a new revision of each, and a second export is the same.
        let imported = try Binary.run(["import", out.path], in: dir)
        #expect(imported.status == 0, Comment(rawValue: imported.stderr))
        #expect(try Binary.run(["list"], in: dir).stdout.contains("dhcp.server.receive"))
        let again = dir.appendingPathComponent("again")
        #expect(try Binary.run(["export", "dhcp.server.receive", "--to", again.path], in: dir).status == 0)
        #expect(
            try Data(contentsOf: again.appendingPathComponent("dhcp/dhcp.server.receive.flow"))
                == Data(contentsOf: bundled.appendingPathComponent("dhcp/dhcp.server.receive.flow")))
    }

    @Test func importRefusesABrokenChartAndKeepsWhatIsStored() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        try Binary.run(["init"], in: dir)
        let bad = """
            chart dhcp.server.receive
            protocol: dhcp
            role: server
            trigger: receive

            D1 decision "Is the DHCP service on?" [dhcp.no_such(device.x)] yes -> E2 no -> E9
            E2 end consumed

            """
        let file = try Binary.write(bad, to: "bad.flow", in: dir)
        let r = try Binary.run(["import", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("dhcp.server.receive D1: calls dhcp.no_such"))
        let unparsable = try Binary.write("chart x.y.z\nprotocol: x\n", to: "worse.flow", in: dir)
        let r2 = try Binary.run(["import", unparsable], in: dir)
        #expect(r2.status == 1)
        #expect(r2.stderr.contains("worse.flow:"))
        let show = try Binary.run(["show", "dhcp.server.receive"], in: dir)
        #expect(show.stdout.contains("A16 action"))
        let row = try Binary.run(["list"], in: dir).stdout.split(separator: "\n").first {
            $0.hasPrefix("dhcp.server.receive ")
        }
        let bundled = try ChartText.parse(
            String(
                contentsOf: Self.root.appendingPathComponent("Flowcharts/dhcp/dhcp.server.receive.flow"),
                encoding: .utf8), source: "bundled")
        let counts = ["\(bundled.nodes.count)", "\(bundled.nodes.map(\.edges.count).reduce(0, +))"]
        #expect(
            row?.split(separator: " ").map(String.init) == ["dhcp.server.receive", "dhcp", "server", "receive"] + counts
                + ["1"])
    }

    @Test func showsEveryFormat() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        for format in ["text", "yaml", "json", "dot", "mermaid"] {
            let r = try Binary.run(["show", "dhcp.client.discover", "--format", format], in: dir)
            #expect(r.status == 0)
            #expect(r.stdout.contains("D1"), Comment(rawValue: format))
        }
        let json = try JSON.parse(try Binary.run(["show", "dhcp.client.discover", "--format", "json"], in: dir).stdout)
        #expect(json["nodes"][0]["edges"] == ["yes": "D2", "no": "E1"])
        #expect(
            try Binary.run(["show", "dhcp.client.discover", "--format", "dot"], in: dir).stdout.hasPrefix("digraph"))
    }

    @Test func listsPrimitivesWithTypedParameters() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let r = try Binary.run(["primitives", "--json"], in: dir)
        #expect(r.status == 0)
        let list = try JSON.parse(r.stdout).list ?? []
        let reply = try #require(list.first { $0["name"] == "dhcp.reply" })
        #expect(reply["kind"] == "action")
        #expect(
            reply["parameters"][4] == [
                "name": "lease_times", "type": "bool", "passing": "value", "nullable": false, "variadic": false,
                "default": true,
            ])
        for name in ["eq", "find", "send", "start_timer", "new_id", "dhcp.backoff", "dhcp.pool_for", "tcp.open"] {
            #expect(list.contains { $0["name"] == .string(name) }, Comment(rawValue: name))
        }
        #expect(try Binary.run(["primitives"], in: dir).stdout.contains("dhcp.backoff(retries: int) -> int"))
    }

    @Test func theDatabaseComesFromTheEnvironmentOrTheOption() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let viaEnv = dir.appendingPathComponent("env.sqlite").path
        #expect(try Binary.run(["list"], in: dir, environment: ["L7FLOW_DB": viaEnv]).status == 0)
        #expect(FileManager.default.fileExists(atPath: viaEnv))
        let viaOption = dir.appendingPathComponent("opt.sqlite").path
        #expect(try Binary.run(["--db", viaOption, "list"], in: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: viaOption))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("l7flow.sqlite").path))
    }
}
