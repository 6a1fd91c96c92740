import FlowchartModel
import Testing

/// One test per diagnostic the validator gives.
@Suite struct ValidatorTests {
    static let catalog: [String: PrimitiveSignature] = [
        "eq": PrimitiveSignature(
            name: "eq", kind: .predicate, parameters: [.init("a", .any), .init("b", .any)], result: .bool, summary: ""),
        "not": PrimitiveSignature(
            name: "not", kind: .predicate, parameters: [.init("p", .bool, passing: .predicate)], result: .bool,
            summary: ""),
        "set": PrimitiveSignature(
            name: "set", kind: .action, parameters: [.init("path", .any, passing: .path), .init("value", .any)],
            result: nil, summary: ""),
        "start_timer": PrimitiveSignature(
            name: "start_timer", kind: .action,
            parameters: [.init("name", .string, nullable: false), .init("seconds", .number, nullable: false)],
            result: nil, summary: ""),
    ]

    func chart(_ nodes: String, id: String = "t.x.y", args: String = "") throws -> Chart {
        let header = "chart \(id)\nprotocol: t\nrole: x\ntrigger: y\n" + (args.isEmpty ? "" : "args: \(args)\n")
        return try ChartText.parse(header + "\n" + nodes + "\n", source: id)
    }

    func codes(_ nodes: String, others: [Chart] = []) throws -> [Diagnostic] {
        let c = try chart(nodes)
        return Validator(catalog: Self.catalog, charts: [c] + others).validate(c)
    }

    @Test func aValidChartHasNoDiagnostics() throws {
        let d = try codes(
            """
            D1 decision "q" [eq(device.a, 1)] yes -> A2 no -> E3
            A2 action "a" { set(local.x, 1); start_timer("t.{local.x}", 4) } -> E3
            E3 end done "d"
            """)
        #expect(d.isEmpty)
    }

    @Test func noEntry() throws {
        let c = Chart(id: "t.x.y", protocolName: "t", role: "x", trigger: "y")
        #expect(Validator(catalog: Self.catalog, charts: [c]).validate(c).map(\.code) == [.noEntry])
    }

    @Test func duplicateNode() throws {
        let d = try codes("E1 end done \"a\"\nE1 end done \"b\"")
        #expect(d.contains { $0.code == .duplicateNode && $0.node == "E1" })
    }

    @Test func danglingEdge() throws {
        let d = try codes("A1 action \"a\" { set(local.x, 1) } -> E9\nE2 end done")
        #expect(d.contains { $0.code == .danglingEdge && $0.node == "A1" && $0.message.contains("E9") })
    }

    @Test func wrongEdgeSet() throws {
        let d = try codes("D1 decision \"q\" [eq(1, 1)] -> E2\nE2 end done")
        #expect(d.contains { $0.code == .edges && $0.node == "D1" })
        let e = try codes("A1 action \"a\" { set(local.x, 1) } yes -> E2 no -> E2\nE2 end done")
        #expect(e.contains { $0.code == .edges && $0.node == "A1" })
    }

    @Test func badNodeID() throws {
        let d = try codes("A1 decision \"q\" [eq(1, 1)] yes -> E2 no -> E2\nE2 end done")
        #expect(d.contains { $0.code == .badNodeID && $0.node == "A1" })
    }

    @Test func unreachable() throws {
        let d = try codes("E1 end done\nE2 end done \"orphan\"")
        #expect(d.map(\.code) == [.unreachable])
        #expect(d[0].severity == .warning)
        #expect(d[0].node == "E2")
    }

    @Test func unknownPrimitive() throws {
        let d = try codes("D1 decision \"q\" [dhcp.nope(1)] yes -> E2 no -> E2\nE2 end done")
        #expect(d.map(\.code) == [.unknownPrimitive])
        #expect(d[0].description.contains("t.x.y D1"))
    }

    @Test func wrongPrimitiveKind() throws {
        let d = try codes("D1 decision \"q\" [set(local.x, 1)] yes -> E2 no -> E2\nE2 end done")
        #expect(d.map(\.code) == [.wrongKind])
    }

    @Test func wrongArity() throws {
        let d = try codes("D1 decision \"q\" [eq(1)] yes -> E2 no -> E2\nE2 end done")
        #expect(d.map(\.code) == [.arity])
        let e = try codes("D1 decision \"q\" [eq(1, 2, 3)] yes -> E2 no -> E2\nE2 end done")
        #expect(e.map(\.code) == [.arity])
        let f = try codes("D1 decision \"q\" [eq(a: 1, c: 2)] yes -> E2 no -> E2\nE2 end done")
        #expect(f.contains { $0.code == .arity && $0.message.contains("'c'") })
    }

    @Test func wrongArgumentType() throws {
        let d = try codes("A1 action \"a\" { start_timer(\"t\", \"four\") } -> E2\nE2 end done")
        #expect(d.map(\.code) == [.argumentType])
        #expect(d[0].message.contains("seconds"))
        let e = try codes("A1 action \"a\" { set(\"local.x\", 1) } -> E2\nE2 end done")
        #expect(e.map(\.code) == [.argumentType])
        let f = try codes("D1 decision \"q\" [not(true)] yes -> E2 no -> E2\nE2 end done")
        #expect(f.map(\.code) == [.argumentType])
    }

    @Test func unknownContextRoot() throws {
        let d = try codes("D1 decision \"q\" [eq(devise.a, 1)] yes -> E2 no -> E2\nE2 end done")
        #expect(d.map(\.code) == [.unknownRoot])
        #expect(d[0].message.contains("devise"))
    }

    @Test func callOfMissingChart() throws {
        let d = try codes("C1 call t.missing() -> E2\nE2 end done")
        #expect(d.map(\.code) == [.missingChart])
    }

    @Test func callArgumentsAgainstTheCalleesDeclaration() throws {
        let callee = try chart("E1 end ok", id: "t.helper", args: "name: string, qtype: string = \"A\"")
        let d = try codes(
            "C1 call t.helper(qtype: \"AAAA\", colour: 1) yes -> E2 no -> E2\nE2 end done", others: [callee])
        #expect(d.filter { $0.code == .callArguments }.count == 2)
        let plain = try chart("E1 end done", id: "t.plain")
        let e = try codes("C1 call t.plain() yes -> E2 no -> E2\nE2 end done", others: [plain])
        #expect(e.map(\.code) == [.edges])
    }

    @Test func loopWithoutWait() throws {
        let d = try codes(
            """
            D1 decision "q" [eq(local.a, 1)] yes -> A2 no -> E3
            A2 action "a" { set(local.a, 1) } -> D1
            E3 end done
            """)
        #expect(d.map(\.code) == [.loopWithoutWait])
        #expect(d[0].severity == .warning)
        let endless = try codes(
            """
            A1 action "a" { set(local.a, 1) } -> A2
            A2 action "b" { set(local.a, 2) } -> A1
            """)
        #expect(endless.map(\.code) == [.loopWithoutWait])
        #expect(endless[0].severity == .error)
        let withWait = try codes(
            """
            W1 wait "w" {signal: "s", timer: "t"} yes -> A2 no -> E3
            A2 action "a" { set(local.a, 1) } -> W1
            E3 end done
            """)
        #expect(withWait.isEmpty)
    }

    @Test func invalidEndOutcome() throws {
        let d = try codes("E1 end finished \"x\"")
        #expect(d.map(\.code) == [.endOutcome])
    }

    @Test func syntaxErrorInABody() throws {
        let d = try codes("A1 action \"a\" { set(local.x, ) } -> E2\nE2 end done")
        #expect(d.map(\.code) == [.syntax])
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let d = try codes(
            """
            D1 decision "q" [nope(devise.a)] yes -> A2 no -> E9
            A2 action "a" { set("x", 1) } -> E3
            E3 end finished
            E4 end done
            """)
        let found = Set(d.map(\.code))
        #expect(
            found.isSuperset(of: [
                .unknownPrimitive, .unknownRoot, .danglingEdge, .argumentType, .endOutcome, .unreachable,
            ]))
    }
}
