import Testing

@testable import FlowchartModel

@Suite struct ChartTextTests {
    static let sample = """
        chart demo.client.receive
        title: A demo chart
        protocol: demo
        role: client
        trigger: receive
        source: RFC 0000
        description: First line.
          Second line.

        D1 decision "Is it \\"on\\"?" [eq(device.on, true)] yes -> A2 no -> E3
        A2 action "Count and send a message to the server, keeping a copy of what was sent for later"
           { incr(device.count, 1);
             send("PING", to: "10.0.0.1:7", fields: {n: device.count}) as local.sent } -> C4
        C4 call demo.helper(x: 1) as local.r yes -> E5 no -> E3
        E3 end dropped "off"
        E5 end return local.r "done"

        """

    @Test func parsesTheSpecNotation() throws {
        let chart = try ChartText.parse(Self.sample, source: "demo.flow")
        #expect(chart.id == "demo.client.receive")
        #expect(chart.description == "First line.\nSecond line.")
        #expect(chart.nodes.map(\.id) == ["D1", "A2", "C4", "E3", "E5"])
        #expect(chart.nodes[0].label == "Is it \"on\"?")
        #expect(chart.nodes[0].body == "eq(device.on, true)")
        #expect(chart.nodes[0].edges == [Edge(.yes, "A2"), Edge(.no, "E3")])
        #expect(chart.nodes[1].body.hasPrefix("incr(device.count, 1);\n     send("))
        #expect(chart.nodes[2].body == "demo.helper(x: 1) as local.r")
        #expect(chart.nodes[2].label == "")
        #expect(chart.nodes[4].body == "return local.r")
        #expect(chart.nodes[4].label == "done")
    }

    @Test func canonicalTextSurvivesParseAndFormat() throws {
        let chart = try ChartText.parse(Self.sample, source: "demo.flow")
        let text = ChartText.format(chart)
        #expect(text == Self.sample)
        #expect(try ChartText.parse(text, source: "again") == chart)
    }

    @Test func longOneLineBodiesMoveToTheirOwnLine() {
        let node = Node(
            id: "D7", kind: .decision, label: String(repeating: "q", count: 80),
            body: "all(ne(packet.yiaddr, \"0.0.0.0\"), exists(packet.options.server_id))",
            edges: [Edge(.yes, "A8"), Edge(.no, "E1")])
        let text = ChartText.format(node)
        #expect(text.contains("\"\n   [all("))
    }

    @Test func errorsNameTheFileAndLine() {
        #expect(
            throws: ChartText.ParseError(source: "x.flow", line: 1, reason: "a chart file starts with 'chart <id>'")
        ) {
            try ChartText.parse("title: x\n", source: "x.flow")
        }
        let missingEdgeArrow = "chart a.b.c\nprotocol: a\nrole: b\ntrigger: c\n\nD1 decision \"q\" [eq(1, 1)] yes D2\n"
        do {
            _ = try ChartText.parse(missingEdgeArrow, source: "y.flow")
            Issue.record("should fail")
        } catch let error as ChartText.ParseError {
            #expect(error.line == 6)
            #expect(error.reason.contains("->"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ChartText.ParseError.self) {
            try ChartText.parse("chart a.b.c\nrole: b\ntrigger: c\n", source: "z")
        }
        #expect(throws: ChartText.ParseError.self) { try ChartText.parse("chart a.b.c\ncolour: red\n", source: "z") }
    }
}
