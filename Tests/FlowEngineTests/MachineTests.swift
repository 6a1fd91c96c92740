import FlowEngine
import FlowchartModel
import Protocols
import Testing

/// The interpreter's semantics (CONVENTIONS.md "Notation details") on small charts.
@Suite struct MachineTests {
    func programs(_ charts: String...) throws -> ProgramSet {
        let parsed = try charts.map { text in
            let id = String(text.split(separator: "\n")[0].dropFirst(6))
            let parts = id.split(separator: ".")
            let header =
                "protocol: \(parts[0])\nrole: \(parts.count > 2 ? parts[1] : "helper")\ntrigger: \(parts.last!)\n\n"
            return try ChartText.parse(text.replacingOccurrences(of: "\n---\n", with: "\n" + header), source: id)
        }
        return try Compiler(registry: Registry.l7flow).compile(parsed.map { Compiler.Input($0) })
    }

    func run(
        _ programs: ProgramSet, _ chart: String, _ context: Value = [:], events: [ScheduledEvent] = [],
        options: MachineOptions = MachineOptions()
    ) throws(RunError) -> RunReport {
        try Runner.run(programs: programs, chart: chart, context: context, events: events, options: options)
    }

    @Test func decisionsReadAndActionsWrite() throws {
        let p = try programs(
            """
            chart t.a.b
            ---
            D1 decision "Is it on?" [all(eq(device.on, true), lt(device.n, 3))] yes -> A2 no -> E3
            A2 action "Count" { incr(device.n, 1); set(local.note, "n is {device.n}") } -> E4
            E3 end dropped "off"
            E4 end consumed "counted"
            """)
        let r = try run(p, "t.a.b", ["device": ["on": true, "n": 2]])
        #expect(r.path == ["D1:yes", "A2", "E4"])
        #expect(r.steps[0].reads.map(\.0) == ["device.on", "device.n"])
        #expect(r.context["device"]?["n"] == 3)
        #expect(r.context["local"]?["note"] == "n is 3")
        #expect(r.json["end"] == ["node": "E4", "outcome": "consumed"])
        let off = try run(p, "t.a.b", ["device": ["on": true, "n": 3]])
        #expect(off.path == ["D1:no", "E3"])
    }

    @Test func nullRules() throws {
        let p = try programs(
            """
            chart t.null.rules
            ---
            D1 decision "null = null?" [eq(local.missing, null)] yes -> D2 no -> E9
            D2 decision "null < 1?" [lt(local.missing, 1)] yes -> E9 no -> D3
            D3 decision "exists?" [exists(device.a.b.c)] yes -> E9 no -> D4
            D4 decision "nonempty of []?" [nonempty(device.list)] yes -> E9 no -> A5
            A5 action "set deep" { set(local.x.y.z, 1) } -> E6
            E6 end done
            E9 end fail
            """)
        let r = try run(p, "t.null.rules", ["device": ["list": []]])
        #expect(r.path == ["D1:yes", "D2:no", "D3:no", "D4:no", "A5", "E6"])
        #expect(r.context["local"]?["x"] == ["y": ["z": 1]])
    }

    @Test func computedKeysAndFindBindsTheElementItself() throws {
        let p = try programs(
            """
            chart t.find.bind
            ---
            D1 decision "Is there a pending entry?" [find(device.items, where: {state: "pending"}) as local.item] yes -> A2 no -> E3
            A2 action "Mark it, and count by a computed key"
               { set(local.item.state, "done"); set(device.counts[local.item.id], 1); set(device.byNumber[local.n], "x") } -> E4
            E3 end dropped
            E4 end done
            """)
        let r = try run(
            p, "t.find.bind",
            [
                "device": ["items": [["id": "a", "state": "done"], ["id": "b", "state": "pending"]]],
                "local": ["n": 257],
            ])
        #expect(r.path == ["D1:yes", "A2", "E4"])
        #expect(r.context["device"]?["items"] == [["id": "a", "state": "done"], ["id": "b", "state": "done"]])
        #expect(r.context["device"]?["counts"] == ["b": 1])
        #expect(r.context["device"]?["byNumber"] == ["257": "x"])
    }

    @Test func callsPassArgumentsAndReturnValues() throws {
        let p = try programs(
            """
            chart t.caller.run
            ---
            C1 call t.helper(name: device.name) as local.res yes -> C2 no -> E4
            C2 call t.twice(n: 4) -> E3
            E3 end done
            E4 end fail
            """,
            """
            chart t.helper
            args: name: string, qtype: string = "A"
            ---
            D1 decision "Named?" [nonempty(args.name)] yes -> A2 no -> E3
            A2 action "Answer" { set(local.ret, "{args.name}/{args.qtype}") } -> E4
            E3 end fail
            E4 end ok
            """,
            """
            chart t.twice
            args: n: int
            ---
            E1 end return {doubled: args.n, from: device.name}
            """)
        let r = try run(p, "t.caller.run", ["device": ["name": "pc"]])
        #expect(r.path == ["C1", "t.helper/D1:yes", "t.helper/A2", "t.helper/E4", "C2", "t.twice/E1", "E3"])
        #expect(r.context["local"]?["res"] == "pc/A")
        #expect(r.context["local"]?["ret"] == ["doubled": 4, "from": "pc"])
        #expect(r.steps[1].depth == 1)
        let failed = try run(p, "t.caller.run", ["device": ["name": ""]])
        #expect(failed.path == ["C1", "t.helper/D1:no", "t.helper/E3", "E4"])
    }

    static let waiter = """
        chart t.wait.here
        ---
        A1 action "Ask and arm a timer" { start_timer("t.guard", 5); send("PING", to: "10.0.0.2:7") } -> W2
        W2 wait "Until the answer or the guard timer" {signal: "t.answer", packet: {type: "PONG"}, timer: "t.guard", as: local.got} yes -> A3 no -> E4
        A3 action "Keep the answer" { set(device.answer, local.got) } -> E5
        E4 end fail "timed out"
        E5 end ok "answered"
        """

    @Test func waitResumesOnASignalWithWrites() throws {
        let p = try programs(Self.waiter)
        let r = try run(
            p, "t.wait.here", ["env": ["now": 100]],
            events: [
                ScheduledEvent(at: 1, wake: .signal(name: "other", value: 1, writes: [])),
                ScheduledEvent(at: 2, wake: .signal(name: "t.answer", value: 42, writes: [("device.seen", true)])),
            ])
        #expect(r.path == ["A1", "W2:yes", "A3", "E5"])
        #expect(r.context["device"]?["answer"] == ["name": "t.answer", "value": 42])
        #expect(r.context["device"]?["seen"] == true)
        #expect(r.context["env"]?["now"] == 102)
        #expect(r.timersCancelled.isEmpty)
        #expect(r.ignored.count == 1)
    }

    @Test func waitResumesOnAMatchingPacket() throws {
        let p = try programs(Self.waiter)
        let r = try run(
            p, "t.wait.here", [:],
            events: [
                ScheduledEvent(at: 1, wake: .packet(["type": "OTHER"])),
                ScheduledEvent(at: 1.5, wake: .packet(["type": "PONG", "n": 7])),
            ])
        #expect(r.path == ["A1", "W2:yes", "A3", "E5"])
        #expect(r.context["device"]?["answer"]["n"] == 7)
    }

    @Test func theRunsOwnTimerExpiresAtItsDueTime() throws {
        let p = try programs(Self.waiter)
        let r = try run(p, "t.wait.here", ["env": ["now": 10]])
        #expect(r.path == ["A1", "W2:no", "E4"])
        #expect(r.context["env"]?["now"] == 15)
        #expect(r.json["timers"]["started"] == ["t.guard": 5])
    }

    @Test func theDeviceClockRunsWithVirtualTime() throws {
        let p = try programs(Self.waiter)
        let r = try run(
            p, "t.wait.here", ["env": ["now": 10], "device": ["clock": 1_700_000_000.25]],
            events: [ScheduledEvent(at: 0.5, wake: .signal(name: "t.answer", value: nil, writes: []))])
        #expect(r.context["env"]?["now"] == 10.5)
        #expect(r.context["device"]?["clock"] == 1_700_000_000.75)
    }

    @Test func aTimerEventWakesTheWaitEarly() throws {
        let p = try programs(Self.waiter)
        let r = try run(p, "t.wait.here", [:], events: [ScheduledEvent(at: 1, wake: .timer("t.guard"))])
        #expect(r.path == ["A1", "W2:no", "E4"])
        #expect(r.context["env"]?["now"] == 1)
    }

    @Test func machineCanBeDrivenStepByStep() throws {
        let p = try programs(Self.waiter)
        let m = try Machine(programs: p, chart: "t.wait.here", context: [:])
        guard case .waiting(let wait) = try m.start() else {
            Issue.record("should wait")
            return
        }
        #expect(wait.signals == ["t.answer"])
        #expect(wait.timer == "t.guard")
        #expect(try m.resume(.signal(name: "nope", value: nil, writes: [])) == false)
        #expect(try m.resume(.signal(name: "t.answer", value: 1, writes: [])))
        guard case .ended(let end) = m.status else {
            Issue.record("should end")
            return
        }
        #expect(end.node == "E5")
    }

    @Test func anEndlessLoopStopsAtTheStepBudget() throws {
        let p = try programs(
            """
            chart t.loop.forever
            ---
            A1 action "Count" { incr(local.n, 1) } -> W2
            W2 wait "Never woken" {signal: "never"} yes -> A1 no -> A1
            """)
        // A wait on nothing that arrives suspends; a signal storm drives the loop into the budget.
        let events = (0..<50).map {
            ScheduledEvent(at: Double($0), wake: .signal(name: "never", value: nil, writes: []))
        }
        #expect(throws: RunError.self) {
            try run(p, "t.loop.forever", events: events, options: MachineOptions(stepBudget: 20))
        }
        do {
            _ = try run(p, "t.loop.forever", events: events, options: MachineOptions(stepBudget: 20))
        } catch {
            #expect(error.chart == "t.loop.forever")
            #expect(error.node != nil)
            #expect(error.message.contains("20 nodes"))
        }
    }

    @Test func deepRecursionStopsAtTheDepthLimit() throws {
        let p = try programs(
            """
            chart t.recurse
            ---
            C1 call t.recurse() -> E2
            E2 end done
            """)
        do {
            _ = try run(p, "t.recurse", options: MachineOptions(maxDepth: 8))
            Issue.record("should fail")
        } catch {
            #expect(error.description.hasPrefix("t.recurse C1: calls nest deeper than 8"))
        }
    }

    @Test func messagesGetAddressingAndLoseNulls() throws {
        let p = try programs(
            """
            chart t.send.msg
            ---
            A1 action "Send two"
               { send("DHCPDISCOVER", to: "255.255.255.255:67", fields: {xid: 1, gone: null, options: {a: null, b: 2}}) as local.m;
                 send("PING", to: "{device.v6}:53", fields: {n: 1}) } -> A2
            A2 action "Reply" { reply("PONG", fields: {n: 2}) } -> E3
            E3 end done
            """)
        let r = try run(
            p, "t.send.msg",
            [
                "device": ["v6": "2001:db8::10", "own_addrs": ["10.0.0.1"]],
                "iface": ["ip": "10.0.0.1", "ipv6_addrs": [["addr": "fe80::1"], ["addr": "2001:db8::1"]]],
                "packet": [
                    "src_ip": "10.0.0.9", "src_port": 5000, "dst_ip": "10.0.0.1", "dst_port": 7, "transport": "tcp",
                ],
                "env": ["now": 3],
            ])
        #expect(r.sent.map(\.to) == ["255.255.255.255:67", "[2001:db8::10]:53", "10.0.0.9:5000"])
        #expect(
            r.sent[0].fields == [
                "type": "DHCPDISCOVER", "protocol": "dhcp", "transport": "udp", "src_ip": "10.0.0.1", "src_port": 1025,
                "dst_ip": "255.255.255.255", "dst_port": 67, "xid": 1, "options": ["b": 2],
            ])
        #expect(r.sent[1].fields["src_ip"] == "2001:db8::1")
        #expect(r.sent[2].fields["src_ip"] == "10.0.0.1")
        #expect(r.sent[2].fields["src_port"] == 7)
        #expect(r.sent[2].fields["transport"] == "tcp")
        #expect(r.sent[0].at == 3)
        #expect(r.context["local"]?["m"] == r.sent[0].fields)
    }

    @Test func idsAndPortsComeFromTheEnvironment() throws {
        let p = try programs(
            """
            chart t.new.ids
            ---
            A1 action "Draw" { new_id() as local.a; new_id() as local.b; new_port() as local.p } -> E2
            E2 end done
            """)
        let r = try run(p, "t.new.ids", ["env": ["ids": ["0x1", "0x2"], "ports": [50001]]])
        #expect(r.context["local"]?["a"] == "0x1")
        #expect(r.context["local"]?["b"] == "0x2")
        #expect(r.context["local"]?["p"] == 50001)
        #expect(r.context["env"]?["ids"] == [])
    }

    @Test func aBadWriteNamesTheChartAndNode() throws {
        let p = try programs(
            """
            chart t.bad.write
            ---
            A1 action "Write into a string" { set(device.name.first, 1) } -> E2
            E2 end done
            """)
        do {
            _ = try run(p, "t.bad.write", ["device": ["name": "pc"]])
            Issue.record("should fail")
        } catch {
            #expect(error.chart == "t.bad.write")
            #expect(error.node == "A1")
        }
    }

    @Test func malformedContextsAreRefused() throws {
        let p = try programs("chart t.ctx.check\n---\nE1 end done")
        #expect(throws: RunError.self) { try run(p, "t.ctx.check", ["devise": [:]]) }
        #expect(throws: RunError.self) { try run(p, "t.ctx.check", ["device": 3]) }
        #expect(throws: RunError.self) { try run(p, "t.ctx.check", ["env": ["now": "soon"]]) }
        #expect(throws: RunError.self) { try run(p, "t.nope", [:]) }
        #expect(throws: RunError.self) { try ScheduledEvent.list(from: [["kind": "signal"]]) }
    }

    @Test func sessionsOpenBindAndClose() throws {
        let p = try programs(
            """
            chart t.session.life
            ---
            D1 decision "Is a session bound?" [exists(session)] yes -> A3 no -> A2
            A2 action "Open one" { set(session, {protocol: "ftp", local_port: 21, peer_ip: packet.src_ip, peer_port: packet.src_port, state: "NEW"}) } -> E4
            A3 action "Advance or close" { set(session.state, "NEXT"); set(local.seen, session.state) } -> D5
            D5 decision "Closing?" [eq(packet.type, "QUIT")] yes -> A6 no -> E4
            A6 action "Close" { unset(session) } -> E4
            E4 end consumed
            """)
        let packet: Value = ["type": "USER", "protocol": "ftp", "src_ip": "10.0.0.9", "src_port": 1030, "dst_port": 21]
        let opened = try run(p, "t.session.life", ["device": ["sessions": []], "packet": packet])
        #expect(opened.path == ["D1:no", "A2", "E4"])
        #expect(
            opened.context["device"]?["sessions"] == [
                ["protocol": "ftp", "local_port": 21, "peer_ip": "10.0.0.9", "peer_port": 1030, "state": "NEW"]
            ])
        #expect(opened.context["session"]?["state"] == "NEW")
        // The next packet of that connection finds its session bound by the engine.
        let next = try run(p, "t.session.life", ["device": opened.context["device"]!, "packet": packet])
        #expect(next.path == ["D1:yes", "A3", "D5:no", "E4"])
        #expect(
            next.context["device"]?["sessions"] == [
                ["protocol": "ftp", "local_port": 21, "peer_ip": "10.0.0.9", "peer_port": 1030, "state": "NEXT"]
            ])
        var quit = packet
        if case .map(var m) = quit {
            m["type"] = "QUIT"
            quit = .map(m)
        }
        let closed = try run(p, "t.session.life", ["device": next.context["device"]!, "packet": quit])
        #expect(closed.path == ["D1:yes", "A3", "D5:yes", "A6", "E4"])
        #expect(closed.context["device"]?["sessions"] == [])
        #expect(closed.context["session"] == .null)
        // A case may give the session as a plain root.
        let plain = try run(p, "t.session.life", ["session": ["state": "X"], "packet": quit])
        #expect(plain.path == ["D1:yes", "A3", "D5:yes", "A6", "E4"])
        #expect(plain.context["local"]?["seen"] == "NEXT")
    }

    @Test func aConnectionTheRunOpensCarriesItsMessagesAndSession() throws {
        let p = try programs(
            """
            chart t.tcp.client
            ---
            A1 action "Connect" { tcp.open("10.0.0.80", 80); start_timer("t.connect", 10) } -> W2
            W2 wait "until connected" {signal: "tcp.connect", timer: "t.connect", as: local.c} yes -> D3 no -> E5
            D3 decision "Opened?" [eq(local.c.value, "opened")] yes -> A4 no -> E5
            A4 action "Open the session and send"
               { set(session, {protocol: "http", state: "WAIT"}); send("HTTP_REQUEST", to: "10.0.0.80:80", fields: {transport: "tcp"}); tcp.close() } -> E6
            E5 end fail
            E6 end ok
            """)
        let r = try run(
            p, "t.tcp.client", ["device": [:]],
            events: [ScheduledEvent(at: 0.1, wake: .signal(name: "tcp.connect", value: "opened", writes: []))])
        #expect(r.path == ["A1", "W2:yes", "D3:yes", "A4", "E6"])
        #expect(r.sent.map(\.to) == ["10.0.0.80:80"])
        #expect(r.sent[0].fields["src_port"] == 1025)
        #expect(
            r.context["device"]?["sessions"] == [
                ["protocol": "http", "state": "WAIT", "local_port": 1025, "peer_ip": "10.0.0.80", "peer_port": 80]
            ])
        let refused = try run(
            p, "t.tcp.client", [:],
            events: [ScheduledEvent(at: 0.1, wake: .signal(name: "tcp.connect", value: "refused", writes: []))])
        #expect(refused.path == ["A1", "W2:yes", "D3:no", "E5"])
    }

    @Test func aClientTransferIsFoundByItsLocalPortUntilThePeerPortIsKnown() throws {
        let p = try programs(
            """
            chart t.transfer.receive
            ---
            D1 decision "Bound?" [exists(session)] yes -> A2 no -> E3
            A2 action "Fix the peer port" { set(session.peer_port, packet.src_port) } -> E4
            E3 end dropped
            E4 end consumed
            """)
        let sessions: Value = [["protocol": "tftp", "local_port": 3001, "peer_ip": "10.0.0.5", "peer_port": nil]]
        let packet: Value = [
            "protocol": "tftp", "type": "TFTP_DATA", "src_ip": "10.0.0.5", "src_port": 50123, "dst_port": 3001,
        ]
        let r = try run(p, "t.transfer.receive", ["device": ["sessions": sessions], "packet": packet])
        #expect(r.path == ["D1:yes", "A2", "E4"])
        #expect(r.context["device"]?["sessions"][0]["peer_port"] == 50123)
        let other: Value = [
            "protocol": "tftp", "type": "TFTP_DATA", "src_ip": "10.0.0.5", "src_port": 50123, "dst_port": 3002,
        ]
        #expect(
            try run(p, "t.transfer.receive", ["device": ["sessions": sessions], "packet": other]).path == [
                "D1:no", "E3",
            ])
    }

    @Test func traceIsOffWhenNotAsked() throws {
        let p = try programs("chart t.quiet.run\n---\nD1 decision \"q\" [eq(1, 1)] yes -> E2 no -> E2\nE2 end done")
        let m = try Machine(programs: p, chart: "t.quiet.run", context: [:], traced: false)
        try m.start()
        #expect(m.steps.isEmpty)
        #expect(m.stepCount == 2)
    }
}
