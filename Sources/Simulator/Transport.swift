import FlowEngine
import FlowchartModel
import Protocols

/// The network and transport: routing, LAN delivery, DHCP relay, dispatch of what arrives, and
/// the TCP model (SIMULATION.md "The network", "Dispatch", "TCP").
extension Simulation {
    /// Where a message goes next from a device.
    enum Hop {
        case broadcast
        case unicast(String)
    }

    // MARK: Sending

    /// Hands a run's effects to the transport, in the order they happened.
    func flush(_ outgoing: [Outgoing], device d: Int, iface: Int, chart: String, opener: Suspended?) {
        let dev = devices[d]
        for o in outgoing {
            switch o {
            case .message(var m):
                if m["transport"] == "tcp" { m = onConnection(m, device: d, chart: chart) }
                send(m, from: d, iface: dev.egress(for: m["src_ip"].string, fallback: iface))
            case .open(let ip, let port, let local):
                dev.claim(local, by: chart)
                if let old = dev.connection(local: local, peerIP: ip, peerPort: port) {
                    dev.connections.remove(at: old)
                }
                let source = sourceAddress(device: d, iface: iface, to: ip)
                dev.connections.append(
                    Connection(
                        localIP: source, localPort: local, peerIP: ip, peerPort: port, opening: true, opener: opener,
                        client: true,
                        openedAt: now))
                send(
                    notice("TCP_OPENED", srcIP: source, srcPort: local, dstIP: ip, dstPort: port), from: d, iface: iface
                )
            case .close(let conn, _):
                var source: String?
                if let i = dev.connection(local: conn.localPort, peerIP: conn.peerIP, peerPort: conn.peerPort) {
                    source = dev.connections[i].localIP
                    dev.connections.remove(at: i)
                }
                send(
                    notice(
                        "TCP_CLOSED", srcIP: source, srcPort: conn.localPort, dstIP: conn.peerIP, dstPort: conn.peerPort
                    ), from: d, iface: iface)
                dev.dropSessions(local: conn.localPort, peerIP: conn.peerIP, peerPort: conn.peerPort)
            }
        }
    }

    /// A transport notice (`TCP_OPENED`, `TCP_REFUSED`, `TCP_TIMED_OUT`, `TCP_CLOSED`).
    func notice(_ type: String, srcIP: String?, srcPort: Int, dstIP: String, dstPort: Int) -> Value {
        var m: [String: Value] = [
            "type": .string(type), "protocol": "tcp", "transport": "tcp", "src_port": .int(srcPort),
            "dst_ip": .string(dstIP), "dst_port": .int(dstPort),
        ]
        if let srcIP { m["src_ip"] = .string(srcIP) }
        return .map(m)
    }

    /// The address a message to `dst` leaves from: the address of the interface it leaves by.
    func sourceAddress(device d: Int, iface: Int, to dst: String) -> String? {
        guard case .success(let (egress, _)) = route(from: d, preferred: iface, dst: dst) else { return nil }
        let i = devices[d].iface(egress)
        if !Addr.isV6(dst) { return i["ip"].string }
        return i["ipv6_addrs"].list?.first(where: { !($0["addr"].text.lowercased().hasPrefix("fe80")) })?["addr"].string
            ?? i["link_local"].string
    }

    /// Puts a TCP message on its connection: the current one when it is to that peer, else the
    /// device's open connection to the address and port, else a new one from a fresh port.
    func onConnection(_ message: Value, device d: Int, chart: String) -> Value {
        let dev = devices[d]
        guard case .map(var m) = message, let ip = m["dst_ip"]?.string, let port = m["dst_port"]?.int else {
            return message
        }
        if let local = m["src_port"]?.int, let i = dev.connection(local: local, peerIP: ip, peerPort: port) {
            // The connection's own addressing, whichever interface the run concerned.
            if let source = dev.connections[i].localIP { m["src_ip"] = .string(source) }
            return .map(m)
        }
        if let c = dev.connections.first(where: { $0.peerPort == port && Addr.same($0.peerIP, ip) }) {
            m["src_port"] = .int(c.localPort)
            if let source = c.localIP { m["src_ip"] = .string(source) }
            return .map(m)
        }
        let fresh = dev.freePort()
        dev.claim(fresh, by: chart)
        // A new connection leaves from the address of the interface it goes out by.
        let source =
            sourceAddress(device: d, iface: dev.egress(for: m["src_ip"]?.string, fallback: 0), to: ip)
            ?? m["src_ip"]?.string
        if let source { m["src_ip"] = .string(source) }
        dev.connections.append(
            Connection(
                localIP: source, localPort: fresh, peerIP: ip, peerPort: port, opening: false, opener: nil, client: true
            ))
        m["src_port"] = .int(fresh)
        return .map(m)
    }

    /// Sends a message from a device: routes it and puts it on the LAN of the interface it leaves by.
    func send(_ message: Value, from d: Int, iface preferred: Int, routers: Int = 0) {
        let dev = devices[d]
        let dst = message["dst_ip"].text
        switch route(from: d, preferred: preferred, dst: dst) {
        case .failure(let reason):
            queue.push(now, .drop(message, device: d, from: dev.name, reason: reason.text))
        case .success(let (egress, hop)):
            var m = message
            if m["src_ip"].isNull, case .map(var fields) = m {
                let iface = dev.iface(egress)
                fields["src_ip"] =
                    Addr.isV6(dst)
                    ? (iface["ipv6_addrs"].list?.first(where: { !($0["addr"].text.lowercased().hasPrefix("fe80")) })?[
                        "addr"] ?? iface["link_local"]) : iface["ip"]
                m = .map(fields)
            }
            onto(m, from: d, iface: egress, hop: hop, routers: routers)
        }
    }

    struct Reason: Error {
        let text: String
        init(_ t: String) { text = t }
    }

    /// The interface a message leaves by and its next hop (SIMULATION.md "Routing of a device's
    /// own messages").
    func route(from d: Int, preferred: Int, dst: String) -> Result<(Int, Hop), Reason> {
        let dev = devices[d]
        let ifs = dev.infos
        guard ifs.indices.contains(preferred) else {
            return .failure(Reason("the device has no interface to send from"))
        }
        if Addr.isV6(dst) {
            return .success((preferred, Addr.isMulticastV6(dst) ? .broadcast : .unicast(dst)))
        }
        if dst == Addr.broadcast { return .success((preferred, .broadcast)) }
        guard let a = Addr.v4(dst) else { return .failure(Reason("'\(dst)' is not an address")) }
        // The preferred interface first, then the others in order.
        let order = [preferred] + ifs.indices.filter { $0 != preferred }
        for i in order {
            guard let s = ifs[i].subnet, a & s.mask == s.net else { continue }
            return .success((i, ifs[i].isBroadcast(dst, a) ? .broadcast : .unicast(dst)))
        }
        let forwarding = dev.device["forwarding"] == .bool(true)
        if forwarding {
            let routes = (dev.device["routes"].list ?? []).compactMap { r -> (Prefix, UInt32)? in
                guard let p = r["prefix"].string.flatMap(Prefix.init), let nh = Addr.v4(r["next_hop"].string) else {
                    return nil
                }
                return (p, nh)
            }
            if let best = routes.filter({ $0.0.contains(a) }).max(by: { $0.0.length < $1.0.length }) {
                for i in order {
                    if let s = ifs[i].subnet, best.1 & s.mask == s.net {
                        return .success((i, .unicast(IPv4.format(best.1))))
                    }
                }
                return .failure(Reason("no route: the next hop \(IPv4.format(best.1)) is on no interface's subnet"))
            }
        }
        for i in forwarding ? order : [preferred] {
            if let gw = ifs[i].gateway, gw != 0 { return .success((i, .unicast(IPv4.format(gw)))) }
        }
        return .failure(Reason(forwarding ? "no route to \(dst)" : "no gateway for \(dst)"))
    }

    /// Puts a message on the LAN of an interface: to every other interface (broadcast) or to the
    /// one holding the next hop.
    func onto(_ message: Value, from d: Int, iface i: Int, hop: Hop, routers: Int) {
        let dev = devices[d]
        guard let info = dev.info(i), let lan = info.lan, let id = lans.ids[lan] else {
            return queue.push(
                now,
                .drop(
                    message, device: d, from: dev.name, reason: "\(dev.iface(i)["name"].text) is not plugged into a LAN"
                ))
        }
        guard info.up else {
            return queue.push(
                now, .drop(message, device: d, from: dev.name, reason: "link down (\(dev.iface(i)["name"].text))"))
        }
        let at = round(now + scenario.linkDelay)
        let sender = LANTable.Member(device: d, iface: i)
        switch hop {
        case .broadcast:
            let members = lans.members[id]
            if !members.contains(where: { $0 != sender }) {
                return queue.push(now, .drop(message, device: d, from: dev.name, reason: "nobody else on LAN \(lan)"))
            }
            for m in members where m != sender {
                queue.push(
                    at,
                    .deliver(Delivery(message: message, device: m.device, iface: m.iface, from: d, routers: routers)))
            }
        case .unicast(let address):
            var target: LANTable.Member?
            if Addr.isV6(address) {
                target = lans.members[id].first { $0 != sender && devices[$0.device].holds($0.iface, address, nil) }
            } else if let a = Addr.v4(address) {
                target = lans.holder(lan: id, ip: a, except: sender)
            }
            if target == nil, message["dst_port"] == .int(68), let mac = message["chaddr"].string {
                // A DHCP answer to an address the client does not hold yet goes to its hardware address.
                target = lans.member(lan: id, mac: mac.lowercased())
            }
            guard let target else {
                let reason =
                    address == message["dst_ip"].text
                    ? "no such address \(address) on LAN \(lan)" : "next hop \(address) is not on LAN \(lan)"
                return queue.push(now, .drop(message, device: d, from: dev.name, reason: reason))
            }
            queue.push(
                at,
                .deliver(
                    Delivery(message: message, device: target.device, iface: target.iface, from: d, routers: routers)))
        }
    }

    // MARK: Arrival

    func deliver(_ delivery: Delivery) {
        let d = delivery.device
        let i = delivery.iface
        let dev = devices[d]
        let iface = dev.iface(i)
        let info = dev.info(i)
        let m = delivery.message
        let type = m["type"].text
        let from = devices[delivery.from].name
        for (k, f) in scenario.drops.enumerated() {
            guard f.type.map({ $0 == type }) ?? true, f.from.map({ $0 == from }) ?? true,
                f.to.map({ $0 == dev.name }) ?? true
            else { continue }
            dropCounts[k] += 1
            if f.nth.map({ $0 == dropCounts[k] }) ?? true {
                return process(.drop(m, device: d, from: from, reason: "dropped by a drop fault"))
            }
        }
        guard info?.up ?? true else {
            return process(.drop(m, device: d, from: from, reason: "link down (\(iface["name"].text))"))
        }
        deliveries += 1
        let dst = m["dst_ip"].text
        let dstNumber = Addr.v4(dst)
        let broadcast =
            (info.map { $0.isBroadcast(dst, dstNumber) } ?? (dst == Addr.broadcast)) || Addr.isMulticastV6(dst)
        let mine =
            broadcast || dev.infos.indices.contains { dev.holds($0, dst, dstNumber) }
            || (m["dst_port"] == .int(68) && m["chaddr"].string?.lowercased() == info?.mac)
        begin(.deliver, from: from, to: dev.name, type: type, message: m)
        if mine {
            if relayReply(m, device: d) {
                current?.reason = "relayed"
            } else {
                receive(m, device: d, iface: i)
                if broadcast, m["dst_port"] == .int(67), m["op"].int == 1, let helpers = iface["helper_addresses"].list,
                    !helpers.isEmpty
                {
                    relayRequest(
                        m, device: d, iface: i, helpers: helpers.compactMap(\.string), routers: delivery.routers)
                }
            }
        } else if dev.device["forwarding"] == .bool(true) {
            if delivery.routers >= 16 {
                current = nil
                return process(.drop(m, device: d, from: from, reason: "it has passed 16 routers"))
            }
            current?.reason = "forwarded"
            send(m, from: d, iface: i, routers: delivery.routers + 1)
        } else {
            current = nil
            return process(.drop(m, device: d, from: from, reason: "not addressed to \(dev.name)"))
        }
        finish()
    }

    /// RFC 2131 §4.1, RFC 1542: a client's broadcast to port 67 goes on as unicast to each helper.
    func relayRequest(_ m: Value, device d: Int, iface i: Int, helpers: [String], routers: Int) {
        let dev = devices[d]
        let giaddr = m["giaddr"].string
        for helper in helpers {
            guard case .success(let (egress, hop)) = route(from: d, preferred: i, dst: helper), case .map(var r) = m
            else {
                queue.push(now, .drop(m, device: d, from: dev.name, reason: "no route to helper \(helper)"))
                continue
            }
            if giaddr == nil || giaddr == "0.0.0.0" { r["giaddr"] = dev.iface(i)["ip"] }
            r["hops"] = .int((m["hops"].int ?? 0) + 1)
            r["dst_ip"] = .string(helper)
            r["dst_port"] = 67
            r["src_port"] = 67
            r["src_ip"] = dev.iface(egress)["ip"]
            onto(.map(r), from: d, iface: egress, hop: hop, routers: routers)
        }
    }

    /// A server's answer to a relay's `giaddr` goes onto that interface's LAN, to port 68.
    func relayReply(_ m: Value, device d: Int) -> Bool {
        let dev = devices[d]
        guard m["dst_port"] == .int(67), m["op"].int == 2, let giaddr = m["giaddr"].string, giaddr != "0.0.0.0",
            let j = dev.interfaces.firstIndex(where: { $0["ip"].string == giaddr }),
            dev.device["forwarding"] == .bool(true) || !(dev.iface(j)["helper_addresses"].list ?? []).isEmpty,
            case .map(var r) = m
        else { return false }
        let broadcast = m["flags"]["broadcast"].int == 1
        r["dst_port"] = 68
        r["src_port"] = 67
        r["src_ip"] = .string(giaddr)
        r["dst_ip"] = broadcast ? .string(Addr.broadcast) : m["yiaddr"]
        onto(.map(r), from: d, iface: j, hop: broadcast ? .broadcast : .unicast(m["yiaddr"].text), routers: 0)
        return true
    }

    /// A message for this device: resumes a run waiting for it, else starts the chart its
    /// dispatch row names (CONVENTIONS.md item 14), with the TCP model's notices.
    func receive(_ m: Value, device d: Int, iface i: Int) {
        let dev = devices[d]
        if let s = dev.waiting.first(where: { s in
            s.wait?.packets.contains { Simulation.matches(m, pattern: $0) } ?? false
        }) {
            return resume(s, device: d, wake: .packet(m))
        }
        let type = m["type"].text
        let srcIP = m["src_ip"].text
        let srcPort = m["src_port"].int ?? 0
        let dstPort = m["dst_port"].int ?? 0
        guard m["transport"] == "tcp" else {
            let side: DispatchRule.Side = dev.ownPorts[dstPort] != nil ? .peer : .local
            guard
                let chart = packetChart(
                    transport: "udp", side: side, port: side == .peer ? srcPort : dstPort, type: type,
                    sender: dev.ownPorts[dstPort]), programs.revision(of: chart) != nil
            else {
                current?.kind = .drop
                current?.reason = "no listener on UDP port \(dstPort)"
                return
            }
            return start(chart: chart, device: d, iface: i, packet: m, event: nil, args: nil, session: nil)
        }
        let ci = dev.connection(local: dstPort, peerIP: srcIP, peerPort: srcPort)
        let conn = ci.map { dev.connections[$0] }
        func chartFor(client: Bool) -> String? {
            guard
                let chart = packetChart(
                    transport: "tcp", side: client ? .peer : .local, port: client ? srcPort : dstPort, type: type,
                    sender: dev.ownPorts[dstPort]), programs.revision(of: chart) != nil
            else { return nil }
            return chart
        }
        switch type {
        case "TCP_OPENED" where conn == nil:
            guard let chart = chartFor(client: false) else {
                current?.reason = "no service listens on TCP port \(dstPort): refused"
                return send(
                    notice("TCP_REFUSED", srcIP: m["dst_ip"].string, srcPort: dstPort, dstIP: srcIP, dstPort: srcPort),
                    from: d, iface: i)
            }
            pendingOpened = nil
            start(chart: chart, device: d, iface: i, packet: m, event: nil, args: nil, session: nil, tcpOpened: true)
            let outgoing = pendingOpened?.1
            pendingOpened = nil
            let refused =
                outgoing == nil || outgoing!.contains { if case .close(_, reset: true) = $0 { true } else { false } }
            if refused {
                current?.reason = "refused"
                dev.dropSessions(local: dstPort, peerIP: srcIP, peerPort: srcPort)
                return send(
                    notice("TCP_REFUSED", srcIP: m["dst_ip"].string, srcPort: dstPort, dstIP: srcIP, dstPort: srcPort),
                    from: d, iface: i)
            }
            dev.connections.append(
                Connection(
                    localIP: m["dst_ip"].string, localPort: dstPort, peerIP: srcIP, peerPort: srcPort, opening: false,
                    opener: nil, client: false))
            send(
                notice("TCP_OPENED", srcIP: m["dst_ip"].string, srcPort: dstPort, dstIP: srcIP, dstPort: srcPort),
                from: d, iface: i)
            flush(outgoing!, device: d, iface: i, chart: chart, opener: nil)
        case "TCP_OPENED", "TCP_REFUSED", "TCP_TIMED_OUT":
            guard let ci, let conn, conn.client, conn.opening else {
                current?.reason = "no connection waits for it"
                return
            }
            let opened = type == "TCP_OPENED"
            if opened { dev.connections[ci].opening = false } else { dev.connections.remove(at: ci) }
            if let chart = chartFor(client: true) {
                start(chart: chart, device: d, iface: i, packet: m, event: nil, args: nil, session: nil)
            }
            if !opened { dev.dropSessions(local: dstPort, peerIP: srcIP, peerPort: srcPort) }
            if conn.opening, let opener = conn.opener { wake(opener, device: d, with: opened ? "opened" : "refused") }
        case "TCP_CLOSED":
            guard let ci, let conn else {
                current?.reason = "the connection is closed here already"
                return
            }
            dev.connections.remove(at: ci)
            if let chart = chartFor(client: conn.client) {
                start(chart: chart, device: d, iface: i, packet: m, event: nil, args: nil, session: nil)
            }
            dev.dropSessions(local: dstPort, peerIP: srcIP, peerPort: srcPort)
        default:
            var client = conn?.client ?? false
            if conn == nil {
                if dev.ownPorts[dstPort] != nil {
                    current?.kind = .drop
                    current?.reason = "no connection on port \(dstPort)"
                    return
                }
                guard chartFor(client: false) != nil else {
                    current?.kind = .drop
                    current?.reason = "no service listens on TCP port \(dstPort)"
                    return
                }
                // A connection opened without notices (SIMULATION.md "TCP").
                dev.connections.append(
                    Connection(
                        localIP: m["dst_ip"].string, localPort: dstPort, peerIP: srcIP, peerPort: srcPort,
                        opening: false, opener: nil, client: false))
                client = false
            }
            guard let chart = chartFor(client: client) else { return }
            start(chart: chart, device: d, iface: i, packet: m, event: nil, args: nil, session: nil)
        }
    }

    /// `tcp.connect` for the run that opened the connection alone.
    func wake(_ opener: Suspended, device d: Int, with value: String) {
        let dev = devices[d]
        guard dev.waiting.contains(where: { $0 === opener }), opener.wait?.signals.contains("tcp.connect") == true,
            opener.wait?.value.map({ $0.looselyEquals(.string(value)) }) ?? true
        else { return }
        resume(opener, device: d, wake: .signal(name: "tcp.connect", value: .string(value), writes: []))
    }

    /// No answer to a `tcp.open` within 5 s: `TCP_TIMED_OUT` and `"refused"`.
    func tcpTimedOut(device d: Int, local: Int, peerIP: String, peerPort: Int) {
        let dev = devices[d]
        guard let ci = dev.connection(local: local, peerIP: peerIP, peerPort: peerPort), dev.connections[ci].opening
        else { return }
        let own = dev.iface(0)["ip"].string
        let m = notice("TCP_TIMED_OUT", srcIP: peerIP, srcPort: peerPort, dstIP: own ?? "", dstPort: local)
        begin(.timer, from: dev.name, to: dev.name, type: "TCP_TIMED_OUT", message: m)
        receive(m, device: d, iface: 0)
        finish()
    }

    /// The device, port and time of a connection attempt that was dropped.
    func originOf(_ m: Value) -> (device: Int, port: Int, openedAt: Double)? {
        guard let port = m["src_port"].int, let src = m["src_ip"].string else { return nil }
        let number = Addr.v4(src)
        for (d, dev) in devices.enumerated() where dev.infos.indices.contains(where: { dev.holds($0, src, number) }) {
            if let i = dev.connection(local: port, peerIP: m["dst_ip"].text, peerPort: m["dst_port"].int ?? 0),
                dev.connections[i].opening
            {
                return (d, port, dev.connections[i].openedAt)
            }
        }
        return nil
    }

    /// True when every field the pattern names has the same value in the packet (CONVENTIONS.md item 7).
    static func matches(_ packet: Value, pattern: Value) -> Bool {
        guard case .map(let p) = pattern else { return packet.looselyEquals(pattern) }
        return p.allSatisfy { key, want in
            if case .map = want { return matches(packet[key], pattern: want) }
            return packet[key].looselyEquals(want)
        }
    }
}
