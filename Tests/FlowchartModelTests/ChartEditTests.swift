import FlowchartModel
import Testing

@Suite struct ChartEditTests {
    static let chart = Chart(
        id: "t.x.y", protocolName: "t", role: "x", trigger: "y",
        nodes: [
            Node(
                id: "D1", kind: .decision, label: "q", body: "eq(local.a, 1)",
                edges: [Edge(.yes, "A2"), Edge(.no, "E3")]),
            Node(id: "A2", kind: .action, label: "a", body: "set(local.b, 1)", edges: [Edge(.next, "E3")]),
            Node(id: "E3", kind: .end, label: "done", body: "done"),
        ])

    func applying(_ edits: ChartEdit...) throws -> Chart {
        var c = Self.chart
        for e in edits { try e.apply(to: &c) }
        return c
    }

    @Test func addsRemovesAndRelabelsNodes() throws {
        let added = try applying(.addNode(Node(id: "E4", kind: .end, label: "other", body: "dropped"), after: "A2"))
        #expect(added.nodes.map(\.id) == ["D1", "A2", "E4", "E3"])
        let removed = try applying(.removeNode("A2", redirect: "E3"))
        #expect(removed.nodes.map(\.id) == ["D1", "E3"])
        #expect(removed.nodes[0].edges == [Edge(.yes, "E3"), Edge(.no, "E3")])
        let dangling = try applying(.removeNode("A2", redirect: nil))
        #expect(dangling.nodes[0].target(.yes) == "A2")
        #expect(try applying(.relabel("D1", label: "Q?")).nodes[0].label == "Q?")
        #expect(try applying(.setBody("D1", body: "eq(local.a, 2)")).nodes[0].body == "eq(local.a, 2)")
        #expect(throws: EditError.self) { try applying(.relabel("D9", label: "x")) }
        #expect(throws: EditError.self) {
            try applying(.addNode(Node(id: "A2", kind: .action, body: "x()"), after: nil))
        }
        #expect(throws: EditError.self) { try applying(.removeNode("D1", redirect: nil)) }
    }

    @Test func changesEdges() throws {
        #expect(try applying(.retarget(from: "D1", outcome: .no, to: "A2")).nodes[0].target(.no) == "A2")
        let swapped = try applying(.swapBranches("D1"))
        #expect(swapped.nodes[0].edges == [Edge(.yes, "E3"), Edge(.no, "A2")])
        let removed = try applying(.removeEdge(from: "A2", outcome: .next))
        #expect(removed.nodes[1].edges.isEmpty)
        let readded = try applying(
            .removeEdge(from: "D1", outcome: .yes), .addEdge(from: "D1", outcome: .yes, to: "E3"))
        #expect(readded.nodes[0].edges == [Edge(.yes, "E3"), Edge(.no, "E3")])
        #expect(throws: EditError.self) { try applying(.addEdge(from: "D1", outcome: .yes, to: "E3")) }
        #expect(throws: EditError.self) { try applying(.swapBranches("A2")) }
    }

    @Test func diffNamesWhatChanged() throws {
        let new = try applying(
            .retarget(from: "D1", outcome: .no, to: "A2"), .relabel("A2", label: "b"),
            .addNode(Node(id: "E4", kind: .end, body: "dropped"), after: nil), .removeEdge(from: "A2", outcome: .next))
        let diff = ChartDiff(old: Self.chart, new: new)
        #expect(
            diff.changes.map(\.description) == [
                "+ node E4 end dropped",
                "~ node A2 label: \"a\" -> \"b\"",
                "~ edge D1 no -> A2 (was E3)",
                "- edge A2 -> E3",
            ])
        #expect(ChartDiff(old: Self.chart, new: Self.chart).isEmpty)
    }
}
