import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Simulator
import Testing

/// Dispatch is data, a failed run is an event of its own, runaway scenarios stop, and address
/// conflicts are warned about.
@Suite struct DispatchAndFailureTests {
    static var oneLAN: String {
        (try? String(
            contentsOf: SimulatorFixture.packageRoot.appendingPathComponent(
                "Flowcharts/scenarios/dhcp-one-lan.scenario.json"), encoding: .utf8)) ?? ""
    }

    func charts(at type: String, to device: String, in sim: Simulation) -> [String] {
        sim.events.filter { $0.kind == .deliver && $0.type == type && $0.to == device }.flatMap {
            $0.runs.map(\.flowchart)
        }
    }

    @Test func aMovedBindingChangesWhichChartRuns() throws {
        let fixture = try SimulatorFixture()
        #expect(
            charts(at: "DHCPDISCOVER", to: "Server0", in: try fixture.simulate(Self.oneLAN)) == [
                "dhcp.server.receive", "dhcp.server.receive",
            ])
        try fixture.store.copy("dhcp.server.receive", to: "dhcp.server.receive_copy")
        try fixture.store.bind(protocolName: "dhcp", role: "server", trigger: "receive", to: "dhcp.server.receive_copy")
        #expect(
            charts(at: "DHCPDISCOVER", to: "Server0", in: try fixture.simulate(Self.oneLAN)) == [
                "dhcp.server.receive_copy", "dhcp.server.receive_copy",
            ])
    }

    @Test func aDispatchRowChangedInSQLiteChangesWhichChartRuns() throws {
        let fixture = try SimulatorFixture()
        try fixture.store.executeSQL(
            "UPDATE dispatch SET protocol = 'dhcp', role = 'client', trigger = 'receive' WHERE transport = 'udp' AND port = 67"
        )
        let sim = try fixture.simulate(Self.oneLAN)
        let ran = charts(at: "DHCPDISCOVER", to: "Server0", in: sim)
        #expect(!ran.isEmpty && Set(ran) == ["dhcp.client.receive"])
        #expect(!sim.events.contains { $0.type == "DHCPOFFER" })
    }

    @Test func aNodeEditedInSQLiteChangesTheEventList() throws {
        let fixture = try SimulatorFixture()
        try fixture.store.executeSQL(
            "UPDATE nodes SET body = 'eq(device.dhcp_server.enabled, false)' WHERE chart_id = 'dhcp.server.receive' AND id = 'D1'"
        )
        let sim = try fixture.simulate(Self.oneLAN)
        #expect(
            sim.events.first { $0.type == "DHCPDISCOVER" && $0.to == "Server0" }?.runs.first?.path == ["D1:no", "E1"])
    }

    @Test func aFailedRunIsAnEventAndTheSimulationGoesOn() throws {
        let fixture = try SimulatorFixture()
        try fixture.store.executeSQL(
            """
            UPDATE nodes SET body = 'set(device.kind.x, 1)' WHERE chart_id = 'dhcp.server.receive' AND id = 'A3'
            """)
        let sim = try fixture.simulate(Self.oneLAN)
        let errors = sim.events.filter { $0.kind == .error }
        #expect(errors.count >= 2)
        #expect(errors.first?.message["chart"] == "dhcp.server.receive")
        #expect(errors.first?.message["node"] == "A3")
        #expect(errors.first?.message["message"].string?.contains("cannot write") == true)
        // PC1's command at 2 s still runs after PC0's exchange failed at 1 s.
        #expect(sim.events.contains { $0.kind == .command && $0.to == "PC1" })
    }

    @Test func theDeliveryBudgetStopsARunawayScenario() throws {
        let fixture = try SimulatorFixture()
        let sim = try Simulation(
            scenario: try Scenario.parse(Self.oneLAN), programs: try FlowRuntimeCharts.programs(fixture),
            dispatch: try fixture.dispatch(), options: .init(deliveryBudget: 3))
        sim.run()
        #expect(sim.stopReason?.contains("after 3 deliveries and timer expiries (the delivery budget)") == true)
        #expect(sim.events.filter { $0.kind == .deliver }.count == 3)
    }

    @Test func twoInterfacesWithOneAddressAreWarnedAbout() throws {
        let fixture = try SimulatorFixture()
        let iface = #"{"name": "Fa0", "lan": "office", "ip": "192.168.1.1", "mask": "255.255.255.0"}"#
        let text =
            #"{"devices": {"Server0": {"device": {"interfaces": [\#(iface)]}}, "PC0": {"device": {"interfaces": [\#(iface)]}}}}"#
        let sim = try fixture.simulate(text)
        let warnings = sim.events.filter { $0.kind == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.reason == "IP address 192.168.1.1 is used by PC0 Fa0 and Server0 Fa0 on LAN office")
    }

    @Test func aCommandForAMissingChartIsRefused() throws {
        let fixture = try SimulatorFixture()
        let text = Self.oneLAN.replacingOccurrences(
            of: #""chart": "dhcp.client.discover""#, with: #""chart": "dhcp.client.discovr""#)
        #expect(
            throws: ScenarioError("commands[0].chart", "no chart 'dhcp.client.discovr' is loaded (see 'l7flow list')")
        ) {
            _ = try fixture.simulate(text)
        }
    }
}

enum FlowRuntimeCharts {
    static func programs(_ fixture: SimulatorFixture) throws -> ProgramSet {
        try LiveCharts(store: fixture.store).programs
    }
}
