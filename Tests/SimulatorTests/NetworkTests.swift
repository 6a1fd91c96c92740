import FlowchartModel
import Foundation
import Simulator
import Testing

/// The network model: routing and its limits, link faults, unreachable TCP peers.
@Suite struct NetworkTests {
    static func iface(_ name: String, _ lan: String, _ ip: String, gateway: String = "0.0.0.0") -> String {
        #"{"name": "\#(name)", "lan": "\#(lan)", "up": true, "ip": "\#(ip)", "mask": "255.255.255.0", "gateway": "\#(gateway)"}"#
    }

    static let logging =
        #""clock": 0, "ntp": {"synced": false}, "logging": {"on": true, "hosts": ["10.9.0.5"], "trap_level": 7, "facility": 23, "seq_numbers": false, "timestamps": "none"}"#
    static let logCommand =
        #"{"at": 1, "device": "R1", "chart": "syslog.client.send", "args": {"msg": {"fac": "SYS", "severity": 5, "mnemonic": "X", "text": "t", "seq": 1}}}"#

    func drops(_ sim: Simulation) -> [String] { sim.events.filter { $0.kind == .drop }.compactMap(\.reason) }

    @Test func aRoutingLoopEndsAfterSixteenRouters() throws {
        let text = #"""
            {"devices": {
              "R1": {"device": {"forwarding": true, \#(Self.logging), "routes": [{"prefix": "10.9.0.0/16", "next_hop": "10.0.12.2"}],
                     "interfaces": [\#(Self.iface("Gi0/0", "link", "10.0.12.1"))]}},
              "R2": {"device": {"forwarding": true, "routes": [{"prefix": "10.9.0.0/16", "next_hop": "10.0.12.1"}],
                     "interfaces": [\#(Self.iface("Gi0/0", "link", "10.0.12.2"))]}}},
             "commands": [\#(Self.logCommand)]}
            """#
        let sim = try SimulatorFixture().simulate(text)
        #expect(drops(sim) == ["it has passed 16 routers"])
        #expect(sim.events.filter { $0.kind == .deliver && $0.type == "SYSLOG" }.count == 16)
    }

    @Test func noRouteAndNoGatewayAreDrops() throws {
        let router = #"""
            {"devices": {"R1": {"device": {"forwarding": true, \#(Self.logging), "interfaces": [\#(Self.iface("Gi0/0", "link", "10.0.12.1"))]}}},
             "commands": [\#(Self.logCommand)]}
            """#
        #expect(drops(try SimulatorFixture().simulate(router)) == ["no route to 10.9.0.5"])
        let host = router.replacingOccurrences(of: #""forwarding": true, "#, with: "")
        #expect(drops(try SimulatorFixture().simulate(host)) == ["no gateway for 10.9.0.5"])
        let inSubnet = router.replacingOccurrences(of: "10.9.0.5", with: "10.0.12.77")
        #expect(drops(try SimulatorFixture().simulate(inSubnet)) == ["no such address 10.0.12.77 on LAN link"])
    }

    @Test func nothingCrossesADownLinkUntilItComesUp() throws {
        let text = try String(
            contentsOf: SimulatorFixture.packageRoot.appendingPathComponent(
                "Flowcharts/scenarios/dhcp-lost-offer.scenario.json"), encoding: .utf8
        )
        .replacingOccurrences(
            of: #""faults": ["#,
            with:
                #""faults": [{"at": 0, "link": "down", "device": "Server0", "iface": "Fa0"}, {"at": 6, "link": "up", "device": "Server0", "iface": "Fa0"}, "#
        )
        let sim = try SimulatorFixture().simulate(text)
        // The first DISCOVER (1 s) and its retransmission (5 s) meet a down link; the one at 13 s gets through.
        #expect(drops(sim).filter { $0 == "link down (Fa0)" }.count == 2)
        #expect(sim.events.contains { $0.kind == .command && $0.type == "link up" && $0.at == 6 })
        #expect(sim.deviceRoots.first { $0.name == "PC0" }?.device["interfaces"][0]["ip"] == "192.168.1.100")
    }

    @Test func aConnectionToNobodyTimesOutAfterFiveSeconds() throws {
        let text = #"""
            {"devices": {"PC0": {"device": {"kind": "pc", "hostname": "PC0", "interfaces": [\#(Self.iface("Fa0", "lan", "10.0.0.2"))]}}},
             "commands": [{"at": 1, "device": "PC0", "signal": "terminal.line", "value": "telnet 10.0.0.99"}]}
            """#
        let sim = try SimulatorFixture().simulate(text)
        #expect(drops(sim) == ["no such address 10.0.0.99 on LAN lan"])
        let timeout = try #require(sim.events.first { $0.type == "TCP_TIMED_OUT" })
        #expect(timeout.at == 6)
        #expect(timeout.runs.map(\.flowchart) == ["telnet.client.receive"])
        #expect(sim.reports(of: "PC0").contains("\n% Connection timed out; remote host not responding"))
        #expect(sim.deviceRoots.first { $0.name == "PC0" }?.device["sessions"] == .list([]))
    }

    @Test func aUDPPortNobodyListensOnIsADrop() throws {
        let fixture = try SimulatorFixture()
        try fixture.store.executeSQL("DELETE FROM dispatch WHERE transport = 'udp' AND port = 514")
        let text = #"""
            {"devices": {
              "R1": {"device": {\#(Self.logging), "interfaces": [\#(Self.iface("Gi0/0", "lan", "10.9.0.1"))]}},
              "Syslog0": {"device": {"syslog": {"enabled": true, "port": 514, "entries": []}, "interfaces": [\#(Self.iface("Fa0", "lan", "10.9.0.5"))]}}},
             "commands": [\#(Self.logCommand)]}
            """#
        let sim = try fixture.simulate(text)
        let drop = try #require(sim.events.first { $0.type == "SYSLOG" })
        #expect(drop.kind == .drop)
        #expect(drop.to == "Syslog0")
        #expect(drop.reason == "no listener on UDP port 514")
    }
}
