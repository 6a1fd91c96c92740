import FlowchartModel
import Foundation
import Simulator
import Testing

/// The TCP model of SIMULATION.md, seen in the bundled scenarios.
@Suite struct TCPModelTests {
    func run(_ file: String) throws -> Simulation {
        try SimulatorFixture().simulate(
            String(
                contentsOf: SimulatorFixture.packageRoot.appendingPathComponent("Flowcharts/scenarios/\(file)"),
                encoding: .utf8))
    }

    @Test func theNoticeComesFirstThenTcpConnectThenTheServersData() throws {
        let http = try run("http-by-name.scenario.json")
        let opened = try #require(http.events.first { $0.type == "TCP_OPENED" && $0.to == "PC0" })
        // The client's own notice starts its receive chart; then tcp.connect wakes the run that opened.
        #expect(opened.runs.map(\.flowchart) == ["http.client.receive", "http.client.request"])
        #expect(opened.runs[1].path.first == "W1:yes")

        let ftp = try run("ftp-login-put-get.scenario.json")
        let atClient = ftp.events.filter { $0.kind == .deliver && $0.to == "PC0" }.map(\.type)
        // The server's greeting, sent in its TCP_OPENED run, arrives after the notice.
        #expect(Array(atClient.prefix(2)) == ["TCP_OPENED", "FTP_REPLY"])
    }

    @Test func aSendToANewPeerOpensANewConnectionFromAFreshPort() throws {
        let sim = try run("telnet-ssh-aaa.scenario.json")
        let start = try #require(sim.events.first { $0.type == "TACACS_AUTHEN_START" })
        #expect(start.from == "R3")
        #expect(start.message["src_ip"] == "10.0.0.4")
        #expect(start.message["src_port"] != 23)
        #expect((start.message["src_port"].int ?? 0) >= 1025)
        // The server's reply comes back on that connection and reaches the TACACS+ client chart, not the vty.
        let reply = try #require(sim.events.first { $0.type == "TACACS_AUTHEN_REPLY" })
        #expect(reply.message["dst_port"] == start.message["src_port"])
        #expect(reply.runs.first?.flowchart == "tacacs.client.receive")
    }

    @Test func aRefusedConnectionGetsTheNoticeAndNothingElse() throws {
        let sim = try run("http-by-name.scenario.json")
        let refused = try #require(sim.events.first { $0.type == "TCP_REFUSED" })
        #expect(refused.from == "Web1")
        #expect(refused.runs.map(\.flowchart) == ["http.client.receive", "http.client.request"])
        #expect(!sim.events.contains { $0.kind == .deliver && $0.from == "Web1" && $0.type != "TCP_REFUSED" })
    }
}
