import FlowEngine
import FlowchartModel
import Foundation
import Protocols

/// The inputs every benchmark reads, found beside this package whatever its checkout is called.
public enum Fixtures {
    /// The main package's folder.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // BenchmarkFixtures
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // Benchmarks (this package)
        .deletingLastPathComponent()

    public static let fixtures = root.appendingPathComponent("Benchmarks/Fixtures")

    static func text(_ url: URL) -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }

    static func json(_ url: URL) -> Value {
        do { return try JSON.parse(text(url)) } catch { fatalError("\(url.path) is not JSON: \(error)") }
    }

    public static func compile(_ charts: [Chart]) -> ProgramSet {
        do { return try Compiler(registry: Registry.l7flow).compile(charts.map { Compiler.Input($0) }) } catch {
            fatalError("the charts do not compile:\n\(error)")
        }
    }

    /// Every bundled chart (Flowcharts/<protocol>/<id>.flow).
    public static let bundledCharts: [Chart] = {
        let folder = root.appendingPathComponent("Flowcharts")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".flow") }.sorted()
        return files.map { file in
            do { return try ChartText.parse(text(folder.appendingPathComponent(file)), source: file) } catch {
                fatalError("\(file) does not parse: \(error)")
            }
        }
    }()

    /// The first case of a chart's golden cases, which is the spec's worked example.
    public static func workedExample(of chart: String) -> (context: [String: Value], end: String) {
        let cases = json(root.appendingPathComponent("Tests/Cases/\(chart).json"))
        guard case .list(let list) = cases, let first = list.first, let end = first["expect"]["end"].string,
            let context = first["context"].map
        else {
            fatalError("Tests/Cases/\(chart).json has no first case with a context and an expected end")
        }
        return (context, end)
    }
}

/// The anchor chart of `Fixtures/` (11 decisions, four ends) and its 8 packets, on which other
/// engines were measured.
public enum Anchor {
    public static let chartID = "bench.dhcp_client"

    /// One packet context with the end it must reach and the decisions on its path.
    public struct Packet: Sendable {
        public let context: [String: Value]
        public let end: String
        public let decisions: Int
    }

    public static let chart: Chart = {
        do {
            return try ChartText.parse(
                Fixtures.text(Fixtures.fixtures.appendingPathComponent("anchor-dhcp-client.flow")),
                source: "anchor-dhcp-client.flow")
        } catch {
            fatalError("the anchor chart does not parse: \(error)")
        }
    }()

    public static let programs = Fixtures.compile([chart])

    public static let packets: [Packet] = {
        guard case .list(let items) = Fixtures.json(Fixtures.fixtures.appendingPathComponent("anchor-packets.json"))
        else {
            fatalError("anchor-packets.json: expected a list")
        }
        return items.map { item in
            guard let context = item["context"].map, let end = item["end"].string, let decisions = item["decisions"].int
            else {
                fatalError("anchor-packets.json: every packet needs context, end and decisions")
            }
            return Packet(context: context, end: end, decisions: decisions)
        }
    }()

    /// Decisions made by one pass over the 8 packets (42).
    public static let decisionsPerCycle = packets.reduce(0) { $0 + $1.decisions }

    /// Runs one packet through the engine in a fresh machine; returns the end node's id.
    @inline(never)
    public static func run(_ packet: Packet, traced: Bool) -> String {
        do {
            let machine = try Machine(programs: programs, chart: chartID, context: packet.context, traced: traced)
            guard case .ended(let end) = try machine.start() else { fatalError("the anchor chart did not end") }
            return end.node
        } catch {
            fatalError("the anchor chart failed: \(error)")
        }
    }

    /// Stops the benchmarks when the engine or the hand-written chart reaches a wrong end.
    public static func check() {
        for (i, packet) in packets.enumerated() {
            for traced in [false, true] where run(packet, traced: traced) != packet.end {
                fatalError("anchor packet \(i + 1): the engine (traced: \(traced)) did not reach \(packet.end)")
            }
            let typed = HandWrittenAnchor.Input(packet.context)
            let (end, decisions) = HandWrittenAnchor.decide(typed.packet, typed.iface)
            guard end.id == packet.end, decisions == packet.decisions else {
                fatalError(
                    "anchor packet \(i + 1): the hand-written chart reached \(end.id) after \(decisions) decisions, not \(packet.end) after \(packet.decisions)"
                )
            }
            let (valueEnd, valueDecisions) = HandWrittenAnchor.decide(packet.context)
            guard valueEnd.id == packet.end, valueDecisions == packet.decisions else {
                fatalError(
                    "anchor packet \(i + 1): the hand-written chart on context values reached \(valueEnd.id), not \(packet.end)"
                )
            }
        }
    }
}
