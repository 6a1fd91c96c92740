import FlowEngine
import FlowchartModel
import Protocols
import Testing

/// A decision's trace lists each path it read once, at its first reading, with the value read then.
@Suite struct TraceReadsTests {
    func run(_ predicate: String, _ context: Value) throws -> [(String, Value)] {
        let text = """
            chart t.reads.twice
            protocol: t
            role: reads
            trigger: twice

            D1 decision "Read?" [\(predicate)] yes -> E2 no -> E2
            E2 end consumed "done"
            """
        let programs = try Compiler(registry: Registry.l7flow).compile([
            Compiler.Input(ChartText.parse(text, source: "t.reads.twice"))
        ])
        return try Runner.run(programs: programs, chart: "t.reads.twice", context: context).steps[0].reads
    }

    @Test func aPathReadTwiceIsListedOnce() throws {
        let reads = try run("all(eq(device.a, 1), ne(device.b, 2), eq(device.a, 1))", ["device": ["a": 1, "b": 3]])
        #expect(reads.map(\.0) == ["device.a", "device.b"])
        #expect(reads.map(\.1) == [1, 3])
    }

    @Test func manyReadsWithRepeatsKeepTheirFirstOrder() throws {
        let names = (0..<10).map { "device.k\($0)" }
        let predicate = "all(" + (names + names.reversed()).map { "ne(\($0), 99)" }.joined(separator: ", ") + ")"
        let device = Value.map(Dictionary(uniqueKeysWithValues: (0..<10).map { ("k\($0)", Value.int($0)) }))
        let reads = try run(predicate, ["device": device])
        #expect(reads.map(\.0) == names)
        #expect(reads.map(\.1) == (0..<10).map { Value.int($0) })
    }
}
