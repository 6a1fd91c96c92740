import Testing

@testable import FlowchartModel

/// The limits and the strictness issue 11 asks of the model: JSON by RFC 8259, bounded nesting
/// and size, a validator linear in the chart, and one pattern for names.
@Suite struct InputLimitTests {
    @Test(arguments: ["01", "1.", ".5", "+1", "-", "1.e5", "1e", "-01", "00"])
    func jsonRefusesNumbersOutsideRFC8259(text: String) {
        #expect(throws: JSON.ParseError.self) { try JSON.parse(text) }
        #expect(throws: JSON.ParseError.self) { try JSON.parse("[\(text)]") }
    }

    @Test func jsonReadsEveryFormOfRFC8259Numbers() throws {
        #expect(
            try JSON.parse("[0, -0, 10, -12, 0.5, -1.25e3, 1E+2, 2e-1, 9223372036854775807, 9223372036854775808]")
                == [0, 0, 10, -12, 0.5, -1250.0, 100.0, 0.2, .int(.max), .double(9_223_372_036_854_775_808)])
    }

    @Test func jsonRefusesANumberTooLargeForADoubleWithItsPosition() {
        #expect(
            throws: JSON.ParseError(
                line: 2, column: 7, reason: "the number 1e400 is too large for a double (not finite)")
        ) {
            try JSON.parse("{\"a\": 1,\n \"b\": 1e400}")
        }
    }

    @Test func jsonBoundsNesting() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSON.parse(ok).nestingDepth() == 512)
        #expect(throws: JSON.ParseError(line: 1, column: 513, reason: "arrays and objects nest deeper than 512 levels"))
        {
            try JSON.parse(String(repeating: "[", count: 50_000))
        }
    }

    @Test func prettyJSONStaysLinearInTheValueWhateverItsDepth() throws {
        var deep: Value = .list((0..<1_000).map { .int($0) })
        for _ in 0..<400 { deep = ["k": deep] }
        let compact = JSON.encode(deep)
        let pretty = JSON.encode(deep, pretty: true)
        // Indentation stops after maxIndentDepth levels: at most 2·32 spaces on each of the 32 first lines.
        #expect(pretty.utf8.count <= compact.utf8.count + 2 * JSON.maxIndentDepth * (JSON.maxIndentDepth + 1) * 2)
        #expect(try JSON.parse(pretty) == deep)
    }

    @Test func wholeNumbersConvertWithoutTrapping() throws {
        #expect(try Int(checking: 42, "x") == 42)
        #expect(try Int(checking: 2.7, "x", rounding: .down) == 2)
        #expect(throws: WholeNumberError(what: "x", value: 1e300, range: Int.min...Int.max)) {
            try Int(checking: 1e300, "x")
        }
        #expect(throws: WholeNumberError(what: "x", value: 0.5, range: Int.min...Int.max)) {
            try Int(checking: 0.5, "x")
        }
        #expect(throws: WholeNumberError.self) { try Int(checking: .nan, "x") }
        #expect(throws: WholeNumberError.self) { try Int(checking: -.infinity, "x") }
        #expect(throws: WholeNumberError(what: "port", value: 70000, range: 0...65535)) {
            try Int(checking: 70000, "port", in: 0...65535)
        }
        #expect(Value(numeric: 3) == .int(3))
        #expect(Value(numeric: 1e300) == .double(1e300))
        #expect(Value(numeric: .nan).number?.isNaN == true)
        #expect(Value.double(1e300).int == nil)
    }

    @Test func fiftyThousandNestedBracketsAreRefused() throws {
        let list = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let text =
            "chart t.deep.brackets\nprotocol: t\nrole: deep\ntrigger: brackets\n\nA1 action { set(local.x, \(list)) } -> E2\nE2 end done\n"
        let chart = try ChartText.parse(text, source: "deep")
        #expect(
            throws: NotationError(
                line: 1, column: 141, reason: "lists, maps, calls and computed keys nest deeper than 128 levels")
        ) {
            try chart.nodes[0].parsedBody()
        }
        #expect(throws: NotationError.self) { try Path.parse("local" + String(repeating: "[local.a", count: 50_000)) }
    }

    @Test func aTemplateFullOfUnclosedBracesIsReadInLinearTime() throws {
        let text = String(repeating: "{a.", count: 200_000)
        let node = Node(id: "A1", kind: .action, body: "log(\"\(text)\")")
        let clock = ContinuousClock()
        let started = clock.now
        guard case .action(let calls) = try node.parsedBody() else {
            Issue.record("not an action")
            return
        }
        // Each brace used to be matched against the rest of the text: 200,000 braces took minutes.
        #expect(clock.now - started < .seconds(5))
        #expect(calls[0].arguments[0].value == .literal(.string(text)))
        guard
            case .action(let mixed) = try Node(
                id: "A1", kind: .action, body: #"log("{local.a} and {x{1} {local.b[\"}\"]}")"#
            ).parsedBody()
        else {
            Issue.record("not an action")
            return
        }
        #expect(
            mixed[0].arguments[0].value
                == .template([.path(try Path.parse("local.a")), .text(" and {x{1} {local.b[\"}\"]}")]))
    }

    @Test func aBodyNestedTooDeepIsADiagnosticNotACrash() {
        let node = Node(
            id: "A1", kind: .action, body: "set(local.x, \(String(repeating: "[", count: 50_000)))",
            edges: [Edge(.next, "E2")])
        let chart = Chart(
            id: "t.deep.body", protocolName: "t", role: "deep", trigger: "body",
            nodes: [node, Node(id: "E2", kind: .end, body: "done")])
        let problems = Validator(catalog: [:], charts: [chart]).validate(chart)
        #expect(problems.map(\.code) == [.syntax])
        #expect(
            problems.first?.message.hasSuffix("lists, maps, calls and computed keys nest deeper than 128 levels")
                == true)
    }

    @Test func aChainOf100000NodesValidates() {
        var nodes: [Node] = []
        for i in 1..<100_000 {
            nodes.append(Node(id: "A\(i)", kind: .action, body: "unset(local.x)", edges: [Edge(.next, "A\(i + 1)")]))
        }
        nodes.append(Node(id: "A100000", kind: .action, body: "unset(local.x)", edges: [Edge(.next, "A1")]))
        let chart = Chart(id: "t.chain.ring", protocolName: "t", role: "chain", trigger: "ring", nodes: nodes)
        let validator = Validator(catalog: [:], charts: [chart])
        // One loop of 100,000 nodes, found without recursion; it has no way out, so it is an error.
        #expect(validator.loopsWithoutWait(chart).map(\.count) == [100_000])
        let loops = validator.validate(chart).filter { $0.code == .loopWithoutWait }
        #expect(loops.map(\.severity) == [.error])
    }

    @Test func tooManyNodesAreRefused() {
        let nodes = (0...Chart.maxNodes).map { Node(id: "E\($0 + 1)", kind: .end, body: "done") }
        let chart = Chart(id: "t.too.large", protocolName: "t", role: "too", trigger: "large", nodes: nodes)
        #expect(Validator(catalog: [:], charts: [chart]).validate(chart).map(\.code) == [.tooLarge])
    }

    @Test func twentySixNestedComputedKeysValidateAtOnce() throws {
        var path = "local.k"
        for _ in 0..<26 { path = "local.a[\(path)]" }
        let text =
            "chart t.nested.keys\nprotocol: t\nrole: nested\ntrigger: keys\n\nA1 action { unset(\(path)) } -> E2\nE2 end done\n"
        let chart = try ChartText.parse(text, source: "nested")
        let clock = ContinuousClock()
        let started = clock.now
        let problems = Validator(catalog: [:], charts: [chart]).validate(chart)
        // Exponential checking took 16 s at this depth (doubling per level); linear checking takes microseconds.
        #expect(clock.now - started < .seconds(1))
        #expect(problems.map(\.code) == [.unknownPrimitive])
    }

    @Test func computedKeysAreListedInOrderAndInLinearTime() throws {
        #expect(
            try Path.parse("local.a[local.b[local.c]][local.d]").computedKeys.map(\.description)
                == ["local.b[local.c]", "local.c", "local.d"])
        var text = "local.k"
        for _ in 0..<100 { text = "local.a[\(text)]" }
        #expect(try Path.parse(text).computedKeys.count == 100)
    }

    @Test(arguments: ["../../x", "/etc/passwd", ".hidden", "a\u{0}b", "A.b", "a b", "a..b", "a.", "-a", "a/b", ""])
    func chartIDsOutsideThePatternAreRefused(id: String) {
        #expect(!ChartName.isValid(id))
        let text = "chart \(id)\nprotocol: t\nrole: r\ntrigger: s\n\nE1 end done\n"
        #expect(throws: ChartText.ParseError.self) { try ChartText.parse(text, source: "names") }
        let chart = Chart(
            id: id, protocolName: "t", role: "r", trigger: "s", nodes: [Node(id: "E1", kind: .end, body: "done")])
        #expect(Validator(catalog: [:], charts: [chart]).validate(chart).map(\.code) == [.header])
    }

    @Test func namesOfEveryKindFollowThePattern() throws {
        #expect(ChartName.isValid("dns.cname_search_recursively"))
        #expect(ChartName.isValid("voip.call.remote.terminate"))
        #expect(ChartName.isValid("x-1.y+z._q"))
        #expect(
            throws: ChartText.ParseError(
                source: "t", line: 1, reason: ChartNameError(role: "protocol", name: "../etc").description)
        ) {
            try ChartText.parse("chart t.r.s\nprotocol: ../etc\nrole: r\ntrigger: s\n\nE1 end done\n", source: "t")
        }
        let chart = Chart(id: "t.r.s", protocolName: "t", role: "r/x", trigger: "s")
        #expect(throws: ChartNameError(role: "role", name: "r/x")) { try chart.checkNames() }
    }
}
