import Foundation
import SQLiteKit
import Testing

/// `l7flow simulate` and `l7flow dispatch` as a user runs them.
@Suite struct SimulateCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let oneLAN = root.appendingPathComponent("Flowcharts/scenarios/dhcp-one-lan.scenario.json").path

    func ok(_ dir: URL, _ args: [String]) throws -> String {
        let r = try Binary.run(args, in: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        return r.stdout
    }

    @Test func theEventListShowsEachDecisionPath() throws {
        let dir = try Binary.scratch()
        let out = try ok(dir, ["simulate", Self.oneLAN, "--check"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "   time   last device  at device   type           info")
        #expect(
            lines.contains("  1.000   —            PC0         command        dhcp.client.discover (ipconfig_renew)"))
        #expect(
            lines.contains(
                "  1.001   PC0          Server0     DHCPDISCOVER   0.0.0.0:68 -> 255.255.255.255:67 xid 4097"))
        #expect(
            lines.contains("          dhcp.server.receive  D1:yes D2:yes A3 D4:yes D5:yes A6 D7:yes A8 E2 consumed"))
        #expect(
            lines.contains(
                "  1.002   Server0      PC0         DHCPOFFER      192.168.1.1:67 -> 255.255.255.255:68 yiaddr 192.168.1.100"
            ))
        #expect(lines.last == "expect: 9 of 9 passed")
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let dir = try Binary.scratch()
        let out = try ok(dir, ["simulate", Self.oneLAN, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(Set(doc.keys) == ["scenario", "until", "events", "devices", "expect"])
        let events = try #require(doc["events"] as? [[String: Any]])
        let discover = try #require(
            events.first { $0["type"] as? String == "DHCPDISCOVER" && $0["to"] as? String == "Server0" })
        #expect(Set(discover.keys) == ["at", "kind", "from", "to", "type", "message", "runs"])
        let run = try #require((discover["runs"] as? [[String: Any]])?.first)
        #expect(Set(run.keys) == ["flowchart", "revision", "path", "end", "reports", "sent"])
        #expect(run["flowchart"] as? String == "dhcp.server.receive")
        let devices = try #require(doc["devices"] as? [String: [String: Any]])
        let pc0 = try #require(devices["PC0"]?["device"] as? [String: Any])
        #expect(((pc0["interfaces"] as? [[String: Any]])?.first?["ip"] as? String) == "192.168.1.100")
        #expect((doc["expect"] as? [[String: Any]])?.allSatisfy { $0["passed"] as? Bool == true } == true)
    }

    @Test func aBadScenarioNamesTheKeyAndPrintsNothing() throws {
        let dir = try Binary.scratch()
        let text = try String(contentsOfFile: Self.oneLAN, encoding: .utf8).replacingOccurrences(
            of: "\"255.255.255.0\", \"gateway\": \"0.0.0.0\", \"addr_source\": \"static\"",
            with: "\"255.255.0.255\", \"gateway\": \"0.0.0.0\", \"addr_source\": \"static\"")
        let file = try Binary.write(text, to: "bad.scenario.json", in: dir)
        let r = try Binary.run(["simulate", file], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("devices.Server0.device.interfaces[0].mask"))
        let notScenario = try Binary.write("[1, 2, 3]", to: "list.json", in: dir)
        let r2 = try Binary.run(["simulate", notScenario], in: dir)
        #expect(r2.status == 1 && r2.stdout.isEmpty && r2.stderr.contains("a scenario is a JSON object"))
    }

    @Test func checkListsEveryFailedExpectation() throws {
        let dir = try Binary.scratch()
        let text = try String(contentsOfFile: Self.oneLAN, encoding: .utf8)
            .replacingOccurrences(of: "\"equals\": \"192.168.1.100\"", with: "\"equals\": \"192.168.1.150\"")
            .replacingOccurrences(of: "\"equals\": \"192.168.1.101\"", with: "\"equals\": \"192.168.1.151\"")
        let file = try Binary.write(text, to: "wrong.scenario.json", in: dir)
        let r = try Binary.run(["simulate", file, "--check"], in: dir)
        #expect(r.status == 1)
        #expect(
            r.stdout.contains("  FAILED PC0 device.interfaces[0].ip = \"192.168.1.100\", expected \"192.168.1.150\""))
        #expect(
            r.stdout.contains("  FAILED PC1 device.interfaces[0].ip = \"192.168.1.101\", expected \"192.168.1.151\""))
        #expect(r.stderr.contains("2 of 9 expectations failed"))
    }

    @Test func aMovedBindingAndAnSQLEditChangeTheEventList() throws {
        let dir = try Binary.scratch()
        let before = try ok(dir, ["simulate", Self.oneLAN])
        #expect(before.contains("          dhcp.server.receive  D1:yes D2:yes A3"))
        _ = try ok(dir, ["edit", "copy", "dhcp.server.receive", "dhcp.server.receive_v2"])
        _ = try ok(dir, ["edit", "bind", "dhcp", "server", "receive", "dhcp.server.receive_v2"])
        let bound = try ok(dir, ["simulate", Self.oneLAN])
        #expect(bound.contains("          dhcp.server.receive_v2  D1:yes D2:yes A3"))
        #expect(!bound.contains("          dhcp.server.receive  "))
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute(
            "UPDATE nodes SET body = 'eq(device.dhcp_server.enabled, false)' WHERE chart_id = 'dhcp.server.receive_v2' AND id = 'D1'"
        )
        let edited = try ok(dir, ["simulate", Self.oneLAN])
        #expect(edited.contains("          dhcp.server.receive_v2  D1:no E1 dropped"))
        #expect(!edited.contains("Server0      PC0         DHCPOFFER"))
        try db.execute(
            "UPDATE dispatch SET protocol = 'dhcp', role = 'client', trigger = 'receive' WHERE transport = 'udp' AND port = 67"
        )
        let rerouted = try ok(dir, ["simulate", Self.oneLAN])
        #expect(rerouted.contains("DHCPDISCOVER") && !rerouted.contains("dhcp.server.receive_v2  "))
    }

    @Test func dispatchListsTheTable() throws {
        let dir = try Binary.scratch()
        let out = try ok(dir, ["dispatch"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("POS  TRANSPORT  PORT  SIDE") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("10 ") && $0.contains("udp") && $0.contains(" 67 ") && $0.hasSuffix("dhcp.server.receive")
            })
        #expect(lines.contains { $0.contains("timer") && $0.contains("dhcp.*") && $0.hasSuffix("dhcp.client.timeout") })
    }

    @Test func watchTakesAnEditFromTheNextEvent() throws {
        let dir = try Binary.scratch()
        _ = try ok(dir, ["init"])
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["simulate", Self.oneLAN, "--pace", "2", "--watch", "--until", "3"]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("DHCPACK") && Date() < deadline {
            text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        // PC0's exchange (at 1 s, half a second of real time) is over; PC1's starts at 2 s.
        let db = try Database(path: dir.appendingPathComponent("l7flow.sqlite").path)
        try db.execute(
            "UPDATE nodes SET body = 'eq(device.dhcp_server.enabled, false)' WHERE chart_id = 'dhcp.server.receive' AND id = 'D1'"
        )
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("  1.001   PC0          Server0     DHCPDISCOVER"))
        #expect(text.contains("          dhcp.server.receive  D1:yes D2:yes A3 D4:yes D5:yes A6"))
        #expect(text.contains("  2.001   PC1          Server0     DHCPDISCOVER"))
        #expect(text.contains("          dhcp.server.receive  D1:no E1 dropped"))
    }
}
