// The simulator's benchmarks (issue 12), on generated DHCP networks: each site is one router
// relaying for its LANs to one DHCP server, every client started by a command 10 ms after the
// previous one, every broadcast OFFER and ACK reaching every client of its LAN.
//
// Run: cd Benchmarks && swift run -c release l7flow-sim-bench
//   (no arguments) the whole suite, each case in a process of its own, every target beside its value
//   run --sites S --lans L --per-lan P [--write-scenario FILE]   one network; prints its figures
//   idle --devices N                                             memory held per idle device
//   N                                                            one site of 10 LANs of N clients
// `--write-scenario FILE` also writes the network as a scenario for `l7flow simulate FILE`.
import FlowEngine
import FlowRuntime
import FlowStore
import FlowchartModel
import Foundation
import Simulator

/// One generated network.
struct Shape {
    var sites = 1
    var lans = 10
    var perLAN = 100

    var clients: Int { sites * lans * perLAN }
    var devices: Int { sites * (lans * perLAN + 2) }

    func mac(_ n: Int) -> Value {
        .string(
            String(format: "00:0A:%02X:%02X:%02X:%02X", (n >> 24) & 0xFF, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF))
    }

    /// The scenario: per site a router (`R<s>`), a server (`Server<s>`) and `lans` LANs of `perLAN` PCs.
    var scenario: Value {
        var devices: [String: Value] = [:]
        var commands: [Value] = []
        var serial = 0
        func next() -> Int {
            serial += 1
            return serial
        }
        for s in 0..<sites {
            let core = "s\(s)-core"
            var routerIfaces: [Value] = [
                [
                    "name": "Core", "lan": .string(core), "mac": mac(next()), "up": true, "ip": "10.0.0.1",
                    "mask": "255.255.255.0", "gateway": "0.0.0.0", "addr_source": "static",
                ]
            ]
            var pools: [Value] = []
            for l in 0..<lans {
                let net = "192.168.\(l + 1)"
                let lan = "s\(s)-lan\(l)"
                routerIfaces.append([
                    "name": .string("Gi0/\(l)"), "lan": .string(lan), "mac": mac(next()), "up": true,
                    "ip": .string("\(net).1"),
                    "mask": "255.255.255.0", "gateway": "0.0.0.0", "addr_source": "static",
                    "helper_addresses": ["10.0.0.10"],
                ])
                pools.append([
                    "name": .string(lan), "network": .string("\(net).0"), "mask": "255.255.255.0",
                    "range_start": .string("\(net).10"),
                    "range_end": .string("\(net).250"), "gateway": .string("\(net).1"), "dns": "10.0.0.10",
                    "lease": 86400,
                ])
                for p in 0..<perLAN {
                    let name = "PC\(s)-\(l)-\(p)"
                    devices[name] = [
                        "device": [
                            "kind": "pc", "apipa_capable": true,
                            "interfaces": [
                                [
                                    "name": "Fa0", "lan": .string(lan), "mac": mac(next()), "up": true, "ip": "0.0.0.0",
                                    "mask": "0.0.0.0",
                                    "gateway": "0.0.0.0", "addr_source": "none",
                                    "dhcp_client": ["enabled": true, "state": "INIT"],
                                ]
                            ],
                        ]
                    ]
                    // Clients start one after another, 10 ms apart, the sites' starts interleaved.
                    let order = (p * lans + l) * sites + s
                    commands.append([
                        "at": .double(1 + Double(order) / 100), "device": .string(name),
                        "chart": "dhcp.client.discover",
                        "event": ["name": "ipconfig_renew"],
                    ])
                }
            }
            devices["R\(s)"] = [
                "device": [
                    "kind": "router", "forwarding": true, "interfaces": .list(routerIfaces),
                    "dhcp_server": ["enabled": false, "excluded": [], "leases": [], "pools": []],
                ]
            ]
            devices["Server\(s)"] = [
                "device": [
                    "kind": "server",
                    "interfaces": [
                        [
                            "name": "Fa0", "lan": .string(core), "mac": mac(next()), "up": true,
                            "ip": "10.0.0.10", "mask": "255.255.255.0", "gateway": "10.0.0.1",
                            "addr_source": "static",
                        ]
                    ],
                    "dhcp_server": ["enabled": true, "excluded": [], "leases": [], "pools": .list(pools)],
                ]
            ]
        }
        commands.sort { ($0["at"].number ?? 0) < ($1["at"].number ?? 0) }
        let until = (1 + Double(clients) / 100 + 10).rounded()
        return [
            "scenario": .string("dhcp-\(sites)x\(lans)x\(perLAN)"), "until": .int(Int(until)), "devices": .map(devices),
            "commands": .list(commands),
        ]
    }
}

/// The bundled charts and dispatch table, compiled once.
struct Charts {
    let programs: ProgramSet
    let dispatch: Dispatch
    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("l7flow-sim-bench-\(getpid()).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try ChartStore(path: path)
        programs = try LiveCharts(store: store).programs
        let rules = try store.dispatchRows().compactMap { row -> DispatchRule? in
            guard let t = DispatchRule.Transport(rawValue: row.transport), let s = DispatchRule.Side(rawValue: row.side)
            else { return nil }
            return DispatchRule(
                position: row.position, transport: t, port: row.port, side: s, message: row.message, sender: row.sender,
                protocolName: row.protocolName, role: row.role, trigger: row.trigger)
        }
        dispatch = Dispatch(rules: rules, charts: try store.boundCharts())
    }
}

/// Peak resident size of this process, in bytes.
func peakResident() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

/// Resident size of this process now, in bytes (`/proc/self/statm`).
func resident() -> Int {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// One network, simulated; prints `key=value` lines the suite reads.
func runOne(_ shape: Shape, writeScenario: String?) throws {
    let charts = try Charts()
    let text = JSON.encode(shape.scenario)
    if let writeScenario { try text.write(toFile: writeScenario, atomically: true, encoding: .utf8) }
    let sim = try Simulation(
        scenario: try Scenario.parse(text), programs: charts.programs, dispatch: charts.dispatch,
        options: .init(deliveryBudget: 1_000_000_000))
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuNow()
    sim.run()
    let wall = seconds(clock.now - start)
    let cpu = cpuNow() - cpuStart
    let bound = sim.deviceRoots.filter {
        $0.device["kind"] == "pc" && $0.device["interfaces"][0]["dhcp_client"]["state"] == "BOUND"
    }.count
    let runs = sim.events.reduce(0) { $0 + $1.runs.count }
    print("clients=\(shape.clients) devices=\(shape.devices) lans=\(shape.sites * shape.lans) bound=\(bound)")
    print("events=\(sim.events.count) runs=\(runs) wall=\(wall) cpu=\(cpu) peak=\(peakResident())")
    print(
        "events_per_s=\(Int(Double(sim.events.count) / wall)) events_per_cpu_s=\(Int(Double(sim.events.count) / cpu))"
            + " ns_per_event=\(Int(cpu / Double(sim.events.count) * 1e9))")
}

/// Memory the simulator holds per device that does nothing: the resident size grown by `n` idle
/// PCs, their parsed scenario included (as `l7flow simulate` holds it); the scenario text is made before.
func idle(_ n: Int) throws {
    let charts = try Charts()
    var devices: [String: Value] = [:]
    let shape = Shape()
    for i in 0..<n {
        devices["PC\(i)"] = [
            "device": [
                "kind": "pc", "apipa_capable": true,
                "interfaces": [
                    [
                        "name": "Fa0", "lan": .string("lan\(i / 100)"), "mac": shape.mac(i + 1), "up": true,
                        "ip": "0.0.0.0", "mask": "0.0.0.0",
                        "gateway": "0.0.0.0", "addr_source": "none", "dhcp_client": ["enabled": true, "state": "INIT"],
                    ]
                ],
            ]
        ]
    }
    let text = JSON.encode(["scenario": "idle", "until": 1, "devices": .map(devices)])
    devices = [:]
    let before = resident()
    let sim = try Simulation(scenario: try Scenario.parse(text), programs: charts.programs, dispatch: charts.dispatch)
    sim.run()
    let after = resident()
    print("idle_devices=\(n) resident_growth=\(after - before) bytes_per_device=\((after - before) / n)")
    withExtendedLifetime(sim) {}
}

/// Runs this program again with `args`; returns its `key=value` figures.
func child(_ args: [String]) throws -> [String: String] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    var out: [String: String] = [:]
    for word in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }) {
        let kv = word.split(separator: "=", maxSplits: 1)
        if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
    }
    return out
}

func suite() throws {
    func f(_ s: String?) -> Double { Double(s ?? "") ?? .nan }
    func mb(_ s: String?) -> String { String(format: "%.0f MB", f(s) / 1_048_576) }
    func shapeArgs(_ sites: Int, _ lans: Int, _ perLAN: Int) -> [String] {
        ["run", "--sites", "\(sites)", "--lans", "\(lans)", "--per-lan", "\(perLAN)"]
    }
    print("Simulator targets (issue 12); each case runs in a process of its own; CPU time of the simulation alone.")
    let small = try child(shapeArgs(1, 10, 100))
    print(
        String(
            format: "1,000 clients, 10 LANs, one relay: %@ events, %.0f events/s (%.0f per CPU second)",
            small["events"] ?? "?", f(small["events_per_s"]), f(small["events_per_cpu_s"])))
    let big = try child(shapeArgs(1, 100, 100))
    let rate = f(big["events_per_cpu_s"])
    print(
        String(
            format: "target ≥ 1 M events/s: %.2f M events/s (%.2f M per CPU second), on the 10,000-client network",
            f(big["events_per_s"]) / 1e6, rate / 1e6))
    print(
        String(
            format:
                "target 10,000 clients on 100 LANs behind one relay, every one bound, < 1 s: %@ of %@ bound, %.2f s (%.2f s CPU), %@ events",
            big["bound"] ?? "?", big["clients"] ?? "?", f(big["wall"]), f(big["cpu"]), big["events"] ?? "?"))
    print("peak resident size of the 10,000-client run: \(mb(big["peak"]))")
    var perEvent: [(Int, Double)] = []
    for sites in [10, 100, 1000] {
        let r = try child(shapeArgs(sites, 10, 10))
        perEvent.append((Int(f(r["devices"])), f(r["ns_per_event"])))
        print(
            String(
                format:
                    "  %@ devices (%d sites of 10 LANs × 10 clients): %@ events, %.0f ns per event (CPU), %@ of %@ bound",
                r["devices"] ?? "?", sites, r["events"] ?? "?", f(r["ns_per_event"]), r["bound"] ?? "?",
                r["clients"] ?? "?"))
    }
    let costs = perEvent.map(\.1)
    let spread = (costs.max()! / costs.min()! - 1) * 100
    print(
        String(
            format: "target cost per event flat (±30%%) from 1,000 to 100,000 devices: largest/smallest = +%.0f%%",
            spread))
    let mem = try child(["idle", "--devices", "100000"])
    print("memory per idle device (100,000 idle PCs, resident size grown): \(mem["bytes_per_device"] ?? "?") bytes")
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "run":
    var shape = Shape()
    shape.sites = option("--sites", args).flatMap { Int($0) } ?? 1
    shape.lans = option("--lans", args).flatMap { Int($0) } ?? 10
    shape.perLAN = option("--per-lan", args).flatMap { Int($0) } ?? 100
    try runOne(shape, writeScenario: option("--write-scenario", args))
case "idle":
    try idle(option("--devices", args).flatMap { Int($0) } ?? 100_000)
case nil:
    try suite()
case let n? where Int(n) != nil:
    // The earlier form: clients per LAN on one site of 10 LANs.
    try runOne(Shape(sites: 1, lans: 10, perLAN: Int(n)!), writeScenario: nil)
default:
    print("usage: l7flow-sim-bench [run --sites S --lans L --per-lan P [--write-scenario FILE] | idle --devices N]")
    exit(2)
}
