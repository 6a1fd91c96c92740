import Testing

@testable import Simulator

/// Bad scenarios are refused with the key at fault.
@Suite struct ScenarioParsingTests {
    func error(_ text: String) -> ScenarioError? {
        do {
            _ = try Scenario.parse(text)
            return nil
        } catch { return error }
    }

    let pc =
        #"{"device": {"kind": "pc", "interfaces": [{"name": "Fa0", "lan": "a", "ip": "10.0.0.2", "mask": "255.255.255.0", "gateway": "10.0.0.1"}]}}"#

    @Test func unknownTopKey() {
        #expect(error(#"{"devices": {}, "untill": 5}"#)?.key == "untill")
    }

    @Test func notAScenario() {
        #expect(error("[1, 2]")?.message == "a scenario is a JSON object, not a list")
        #expect(error("{")?.key == "")
    }

    @Test func malformedMask() {
        let e = error(
            #"{"devices": {"PC0": {"device": {"interfaces": [{"name": "Fa0", "ip": "10.0.0.2", "mask": "255.0.255.0"}]}}}}"#
        )
        #expect(e?.key == "devices.PC0.device.interfaces[0].mask")
    }

    @Test func malformedAddress() {
        let e = error(
            #"{"devices": {"PC0": {"device": {"interfaces": [{"name": "Fa0", "ip": "10.0.0.300", "mask": "255.0.0.0"}]}}}}"#
        )
        #expect(e?.key == "devices.PC0.device.interfaces[0].ip")
    }

    @Test func gatewayOutsideSubnet() {
        let e = error(
            #"{"devices": {"PC0": {"device": {"interfaces": [{"name": "Fa0", "ip": "10.0.0.2", "mask": "255.255.255.0", "gateway": "10.0.1.1"}]}}}}"#
        )
        #expect(e?.key == "devices.PC0.device.interfaces[0].gateway")
    }

    @Test func commandForMissingDeviceAndInterface() {
        #expect(
            error(#"{"devices": {"PC0": \#(pc)}, "commands": [{"at": 1, "device": "PC9", "chart": "x"}]}"#)?.key
                == "commands[0].device")
        #expect(
            error(
                #"{"devices": {"PC0": \#(pc)}, "commands": [{"at": 1, "device": "PC0", "iface": "Gi0", "chart": "x"}]}"#
            )?.key == "commands[0].iface")
    }

    @Test func faultNamingNothing() {
        #expect(error(#"{"devices": {"PC0": \#(pc)}, "faults": [{"drop": {}}]}"#)?.key == "faults[0].drop")
        #expect(
            error(#"{"devices": {"PC0": \#(pc)}, "faults": [{"drop": {"to": "PC7"}}]}"#)?.key == "faults[0].drop.to")
        #expect(error(#"{"devices": {"PC0": \#(pc)}, "faults": [{"at": 3}]}"#)?.key == "faults[0]")
    }

    @Test func goodScenarioParses() throws {
        let s = try Scenario.parse(
            #"{"scenario": "x", "devices": {"PC0": \#(pc)}, "commands": [{"at": 1, "device": "PC0", "signal": "terminal.line", "value": "dir"}], "expect": [{"device": "PC0", "path": "device.interfaces[0].ip", "equals": "10.0.0.2"}]}"#
        )
        #expect(s.devices.map(\.name) == ["PC0"])
        #expect(s.commands.count == 1)
        #expect(s.expectations.count == 1)
    }
}

/// The GLOB patterns of dispatch rows, as SQLite reads them.
@Suite struct GlobTests {
    @Test func starsAndQuestionMarks() {
        #expect(Glob.matches("*", "anything"))
        #expect(Glob.matches("dhcp.*", "dhcp.retx"))
        #expect(!Glob.matches("dhcp.*", "dhcpv6.retx"))
        #expect(Glob.matches("RADIUS_ACCESS_*", "RADIUS_ACCESS_ACCEPT"))
        #expect(Glob.matches("tftp.?etransmit.*", "tftp.retransmit.50001"))
        #expect(!Glob.matches("NTP_REQUEST", "NTP_RESPONSE"))
        #expect(Glob.matches("NTP_REQUEST", "NTP_REQUEST"))
        #expect(Glob.matches("*_OFFER*", "DHCP_OFFER"))
    }
}
