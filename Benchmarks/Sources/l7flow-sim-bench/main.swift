// Simulates a generated network: 1,000 DHCP clients on 10 LANs behind one router relaying to one
// server, each client started 10 ms after the previous one. Prints the events processed per second.
// Run: cd Benchmarks && swift run -c release l7flow-sim-bench [clients-per-lan]
import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Simulator

let lans = 10
let perLAN = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100 : 100

func mac(_ n: Int) -> Value { .string(String(format: "00:0A:41:%02X:%02X:%02X", (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF)) }

var devices: [String: Value] = [:]
var routerIfaces: [Value] = [["name": "Core", "lan": "core", "mac": mac(0xFFFF00), "up": true, "ip": "10.0.0.1",
                              "mask": "255.255.255.0", "gateway": "0.0.0.0", "addr_source": "static"]]
var pools: [Value] = []
var commands: [Value] = []
for l in 0..<lans {
    let net = "192.168.\(l + 1)"
    routerIfaces.append(["name": .string("Gi0/\(l)"), "lan": .string("lan\(l)"), "mac": mac(0xFF0000 + l), "up": true, "ip": .string("\(net).1"),
                         "mask": "255.255.255.0", "gateway": "0.0.0.0", "addr_source": "static", "helper_addresses": ["10.0.0.10"]])
    pools.append(["name": .string("lan\(l)"), "network": .string("\(net).0"), "mask": "255.255.255.0", "range_start": .string("\(net).10"),
                  "range_end": .string("\(net).250"), "gateway": .string("\(net).1"), "dns": "10.0.0.10", "lease": 86400])
    for p in 0..<perLAN {
        let name = "PC\(l)-\(p)"
        devices[name] = ["device": ["kind": "pc", "apipa_capable": true, "interfaces": [[
            "name": "Fa0", "lan": .string("lan\(l)"), "mac": mac(l * 1000 + p + 1), "up": true, "ip": "0.0.0.0", "mask": "0.0.0.0",
            "gateway": "0.0.0.0", "addr_source": "none", "dhcp_client": ["enabled": true, "state": "INIT"]]]]]
        commands.append(["at": .double(1 + Double(p * lans + l) * 0.01), "device": .string(name), "chart": "dhcp.client.discover",
                         "event": ["name": "ipconfig_renew"]])
    }
}
devices["R1"] = ["device": ["kind": "router", "forwarding": true, "interfaces": .list(routerIfaces),
                            "dhcp_server": ["enabled": false, "excluded": [], "leases": [], "pools": []]]]
devices["Server0"] = ["device": ["kind": "server", "interfaces": [["name": "Fa0", "lan": "core", "mac": mac(0xFFFF01), "up": true,
                                                                    "ip": "10.0.0.10", "mask": "255.255.255.0", "gateway": "10.0.0.1",
                                                                    "addr_source": "static"]],
                                 "dhcp_server": ["enabled": true, "excluded": [], "leases": [], "pools": .list(pools)]]]
let scenario: Value = ["scenario": "dhcp-bench", "until": 60, "devices": .map(devices), "commands": .list(commands)]

let path = FileManager.default.temporaryDirectory.appendingPathComponent("l7flow-sim-bench-\(getpid()).sqlite").path
let store = try ChartStore(path: path)
let live = try LiveCharts(store: store)
let rules = try store.dispatchRows().compactMap { row -> DispatchRule? in
    guard let t = DispatchRule.Transport(rawValue: row.transport), let s = DispatchRule.Side(rawValue: row.side) else { return nil }
    return DispatchRule(position: row.position, transport: t, port: row.port, side: s, message: row.message, sender: row.sender,
                        protocolName: row.protocolName, role: row.role, trigger: row.trigger)
}
let sim = try Simulation(scenario: try Scenario.parse(JSON.encode(scenario)), programs: live.programs,
                         dispatch: Dispatch(rules: rules, charts: try store.boundCharts()), options: .init(deliveryBudget: 100_000_000))
let clock = ContinuousClock()
let start = clock.now
let cpuStart = Foundation.clock()
sim.run()
let elapsed = clock.now - start
let cpuSeconds = Double(Foundation.clock() - cpuStart) / Double(CLOCKS_PER_SEC)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let bound = sim.deviceRoots.filter { $0.device["interfaces"][0]["dhcp_client"]["state"] == "BOUND" }.count
let runs = sim.events.reduce(0) { $0 + $1.runs.count }
print("\(lans * perLAN) clients on \(lans) LANs behind one relay: \(bound) bound")
print("\(sim.events.count) events (\(runs) runs) in \(String(format: "%.2f", seconds)) s: \(String(format: "%.0f", Double(sim.events.count) / seconds)) events/s")
// On a busy machine the wall clock undercounts; CPU time says what one core does.
print("CPU time \(String(format: "%.2f", cpuSeconds)) s: \(String(format: "%.0f", Double(sim.events.count) / cpuSeconds)) events per CPU second")
try? FileManager.default.removeItem(atPath: path)
