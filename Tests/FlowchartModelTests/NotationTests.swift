import Testing

@testable import FlowchartModel

@Suite struct NotationTests {
    func expr(_ text: String) throws -> Expr {
        var p = NotationParser(text)
        let e = try p.expression()
        try p.expectEnd()
        return e
    }

    @Test func pathsWithIndexesQuotedAndComputedKeys() throws {
        let p = try Path.parse(#"device.http.files["index.html"].size"#)
        #expect(p.root == "device")
        #expect(p.segments == [.key("http"), .key("files"), .key("index.html"), .key("size")])
        #expect(p.description == #"device.http.files["index.html"].size"#)
        let q = try Path.parse("device.resolvers[local.qid].pools[0]")
        #expect(
            q.segments == [
                .key("resolvers"), .computed(Path(root: "local", segments: [.key("qid")])), .key("pools"), .index(0),
            ])
        #expect(try Path.parse("device.resolvers.257.status").segments[1] == .key("257"))
    }

    @Test func literalsListsAndMapsMayHoldPaths() throws {
        #expect(try expr("-20") == .literal(.int(-20)))
        #expect(try expr("0.5") == .literal(.double(0.5)))
        #expect(try expr("[1, 2]").constant == .list([1, 2]))
        let m = try expr("{xid: iface.dhcp_client.xid, n: 1}")
        guard case .map(let entries) = m else {
            Issue.record("not a map")
            return
        }
        #expect(entries.map(\.key) == ["xid", "n"])
        #expect(entries[0].value == .path(try Path.parse("iface.dhcp_client.xid")))
        #expect(m.constant == nil)
    }

    @Test func templatesSplitOnPlaceholders() throws {
        #expect(try expr(#""{local.server}:53""#) == .template([.path(try Path.parse("local.server")), .text(":53")]))
        #expect(try expr(#""a{{b""#) == .literal(.string("a{b")))
        // A brace whose content is not a path stays text, so regular expressions keep their counts.
        #expect(try expr(#""^[0-9]{1,3}$""#) == .literal(.string("^[0-9]{1,3}$")))
    }

    @Test func callsWithLabelsNestedCallsAndResult() throws {
        let c = try expr(#"all(eq(a.b, 1), find(device.list, where: {ip: "1.2.3.4"}) as local.x)"#)
        guard case .call(let call) = c else {
            Issue.record("not a call")
            return
        }
        #expect(call.name == "all")
        #expect(call.arguments.count == 2)
        guard case .call(let inner) = call.arguments[1].value else {
            Issue.record("not nested")
            return
        }
        #expect(inner.name == "find")
        #expect(inner.arguments[1].label == "where")
        #expect(inner.result == Path(root: "local", segments: [.key("x")]))
        let d = try expr("dhcp.find_address(local.pool, packet.chaddr, env.now) as local.ip")
        guard case .call(let dc) = d else {
            Issue.record("not a call")
            return
        }
        #expect(dc.name == "dhcp.find_address")
    }

    @Test func syntaxErrorsSayWhere() {
        #expect(throws: NotationError.self) { try expr("eq(a, ") }
        #expect(throws: NotationError.self) { try expr("send(to: x, \"y\")") }
        #expect(throws: NotationError.self) { try expr("{a: 1, a: 2}") }
        do {
            _ = try expr("eq(a,\n  b c)")
            Issue.record("should fail")
        } catch let error as NotationError {
            #expect(error.line == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nodeBodiesByKind() throws {
        let action = Node(id: "A1", kind: .action, body: "set(local.a, 1); incr(local.a, 2);")
        #expect(
            try action.parsedBody()
                == .action([
                    Call(
                        name: "set",
                        arguments: [
                            CallArgument(label: nil, value: .path(try Path.parse("local.a"))),
                            CallArgument(label: nil, value: .literal(1)),
                        ]),
                    Call(
                        name: "incr",
                        arguments: [
                            CallArgument(label: nil, value: .path(try Path.parse("local.a"))),
                            CallArgument(label: nil, value: .literal(2)),
                        ]),
                ]))
        let end = Node(id: "E1", kind: .end, body: #"return {status: "servfail"}"#)
        guard case .end(let spec) = try end.parsedBody() else {
            Issue.record("not an end")
            return
        }
        #expect(spec.outcome == .returnValue && spec.value?.constant == ["status": "servfail"])
        let wait = Node(id: "W1", kind: .wait, body: #"{signal: "dns.done.{local.qid}", timer: "t", as: local.r}"#)
        guard case .wait(let spec) = try wait.parsedBody() else {
            Issue.record("not a wait")
            return
        }
        #expect(spec.binding == Path(root: "local", segments: [.key("r")]))
        #expect(throws: NotationError.self) { try Node(id: "E2", kind: .end, body: "finished").parsedBody() }
        #expect(throws: NotationError.self) { try Node(id: "W2", kind: .wait, body: "{sig: \"x\"}").parsedBody() }
        #expect(throws: NotationError.self) { try Node(id: "C1", kind: .call, body: "x.y(1)").parsedBody() }
    }

    @Test func argumentDeclarations() throws {
        let chart = Chart(
            id: "dns.client.resolve", protocolName: "dns", role: "client", trigger: "resolve",
            arguments: #"name: string, qtype: string = "A""#)
        let decls = try chart.argumentDeclarations()
        #expect(
            decls == [
                ArgumentDeclaration(name: "name", type: .string, defaultValue: nil),
                ArgumentDeclaration(name: "qtype", type: .string, defaultValue: "A"),
            ])
    }
}
