// Runs one workload of the benchmarks many times in a plain process, for profilers that count
// instructions (valgrind --tool=callgrind) and see nothing of the benchmark framework:
//   swift build -c release --product engine-profile
//   valgrind --tool=callgrind .build/release/engine-profile anchor 20000
// Workloads: anchor, anchor-traced (passes over the 8 anchor packets), dhcp, dhcp-traced
// (runs of dhcp.client.receive on its worked example).
import BenchmarkFixtures
import FlowEngine
import Foundation

let arguments = CommandLine.arguments
let workloads = ["anchor", "anchor-traced", "dhcp", "dhcp-traced"]
guard arguments.count == 3, workloads.contains(arguments[1]), let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: engine-profile \(workloads.joined(separator: "|")) COUNT\n".utf8))
    exit(2)
}
let traced = arguments[1].hasSuffix("-traced")
var ends = 0
if arguments[1].hasPrefix("anchor") {
    Anchor.check()
    let packets = Anchor.packets
    for _ in 0..<count {
        for packet in packets where Anchor.run(packet, traced: traced) == packet.end { ends += 1 }
    }
} else {
    let programs = Fixtures.compile(Fixtures.bundledCharts)
    let example = Fixtures.workedExample(of: "dhcp.client.receive")
    for _ in 0..<count {
        do {
            let machine = try Machine(
                programs: programs, chart: "dhcp.client.receive", context: example.context, traced: traced)
            if case .ended(let end) = try machine.start(), end.node == example.end { ends += 1 }
        } catch {
            fatalError("dhcp.client.receive failed: \(error)")
        }
    }
}
print("\(ends) runs reached their expected end")
