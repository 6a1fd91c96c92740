import FlowchartModel
import Foundation
import Testing

/// Bad input gets a clear message naming what and where, a non-zero exit, and loses nothing.
@Suite struct BadInputTests {
    @Test func malformedContextJSON() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let file = try Binary.write("{\"iface\": {\"up\": true,,}}", to: "bad.json", in: dir)
        let r = try Binary.run(["run", "dhcp.client.discover", "--context", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.json is not valid JSON: line 1, column 23"))
    }

    @Test func contextWithAnUnknownRoot() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let file = try Binary.write(#"{"ifaces": {}}"#, to: "ctx.json", in: dir)
        let r = try Binary.run(["run", "dhcp.client.discover", "--context", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown root 'ifaces'"))
    }

    @Test func missingContextFile() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let r = try Binary.run(["run", "dhcp.client.discover", "--context", "nope.json"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("nope.json cannot be read"))
    }

    @Test func unknownChartID() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let file = try Binary.write("{}", to: "ctx.json", in: dir)
        let r = try Binary.run(["run", "dhcp.client.nothing", "--context", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("no chart 'dhcp.client.nothing'"))
        let show = try Binary.run(["show", "dhcp.client.nothing"], in: dir)
        #expect(show.status == 1)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        #expect(try Binary.run(["run"], in: dir).status == 2)
        #expect(try Binary.run(["frobnicate"], in: dir).status == 2)
        #expect(try Binary.run(["show", "dhcp.client.receive", "--format", "png"], in: dir).status == 2)
    }

    @Test func corruptDatabaseFile() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let db = try Binary.write(String(repeating: "not a database ", count: 200), to: "broken.sqlite", in: dir)
        let r = try Binary.run(["--db", db, "list"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("broken.sqlite"))
        // The file is left as it was.
        #expect(try String(contentsOfFile: db, encoding: .utf8).hasPrefix("not a database"))
    }

    @Test func aPathIntoAMissingFieldNamesTheChartAndNode() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        // A retransmission with no recorded message to send again.
        let context =
            #"{"event": {"kind": "timer", "name": "dhcp.retx"}, "iface": {"dhcp_client": {"state": "SELECTING", "retries": 0}}}"#
        let file = try Binary.write(context, to: "ctx.json", in: dir)
        let r = try Binary.run(["run", "dhcp.client.timeout", "--context", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("dhcp.client.timeout A4: dhcp.resend"))
    }

    @Test func malformedEventsFile() throws {
        let dir = try Binary.scratch()
        defer { Binary.remove(dir) }
        let ctx = try Binary.write("{}", to: "ctx.json", in: dir)
        let events = try Binary.write(#"[{"at": 1, "kind": "bell"}]"#, to: "ev.json", in: dir)
        let r = try Binary.run(["run", "dhcp.client.discover", "--context", ctx, "--events", events], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("event 1"))
    }
}
