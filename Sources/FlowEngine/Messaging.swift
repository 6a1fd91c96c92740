import FlowchartModel

extension Run {
    /// Sends a message: `fields` holds the protocol fields and may set `src_ip`/`src_port`; the
    /// engine adds `type`, `protocol`, `dst_ip`, `dst_port` and `transport`, and leaves out nulls.
    func send(type: String, to: String, fields: [String: Value]) throws(PrimitiveError) -> Value {
        guard let colon = to.lastIndex(of: ":"), let port = Int(to[to.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw .malformed("send \(type): the destination \"\(to)\" must end with :port (0 to 65535)")
        }
        var address = String(to[..<colon])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        guard !address.isEmpty,
            !address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 })
        else {
            throw .malformed("send \(type): the destination \"\(to)\" has no address")
        }
        var message = fields
        message["dst_ip"] = .string(address)
        message["dst_port"] = .int(port)
        return try record(type: type, message: message)
    }

    /// Answers the triggering packet: to its source, from the address and port it arrived on.
    func reply(type: String, fields: [String: Value]) throws(PrimitiveError) -> Value {
        let packet = shared[RootSlot.packet.rawValue]
        guard let srcIP = packet["src_ip"].string, let srcPort = packet["src_port"].int else {
            throw PrimitiveError("reply \(type): the packet has no src_ip and src_port to answer")
        }
        guard (0...65535).contains(srcPort) else {
            throw .malformed("reply \(type): the packet's src_port \(srcPort) is not a port")
        }
        var message = fields
        message["dst_ip"] = .string(srcIP)
        message["dst_port"] = .int(srcPort)
        if message["src_ip"] == nil || message["src_ip"] == .null {
            if let arrived = packet["dst_ip"].string, isOwnAddress(arrived) {
                message["src_ip"] = .string(arrived)
            } else {
                message["src_ip"] = defaultSource(for: srcIP)
            }
        }
        if message["src_port"] == nil || message["src_port"] == .null, let port = packet["dst_port"].int {
            message["src_port"] = .int(port)
        }
        if message["transport"] == nil, let transport = packet["transport"].string {
            message["transport"] = .string(transport)
        }
        return try record(type: type, message: message)
    }

    private func record(type: String, message fields: [String: Value]) throws(PrimitiveError) -> Value {
        guard case .map(var message) = Run.droppingNulls(.map(fields)) else { return .null }
        let known = programs.messageTypes[type]
        message["type"] = .string(type)
        if let known { message["protocol"] = .string(known.protocolName) }
        if message["transport"] == nil { message["transport"] = .string(known?.transport ?? "udp") }
        let address = message["dst_ip"]?.string ?? ""
        if message["src_ip"] == nil { message["src_ip"] = defaultSource(for: address) }
        if message["src_port"] == nil {
            let session = sessionValue
            if message["transport"] == .string("tcp"), let port = session["local_port"].int ?? connection?.localPort {
                message["src_port"] = .int(port)
            } else {
                if ephemeralPort == nil { ephemeralPort = 1025 }
                message["src_port"] = .int(ephemeralPort!)
            }
        }
        if case .null = message["src_ip"] ?? .null { message.removeValue(forKey: "src_ip") }
        let port = message["dst_port"]?.int ?? 0
        let to = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        let value = Value.map(message)
        sent.append(SentMessage(type: type, to: to, at: now, fields: value))
        effect(["send": .string(type), "to": .string(to)])
        return value
    }

    /// The interface's address of the destination's family.
    func defaultSource(for destination: String) -> Value {
        let iface = shared[RootSlot.iface.rawValue]
        if !destination.contains(":") { return iface["ip"] }
        for entry in iface["ipv6_addrs"].list ?? [] {
            if let addr = entry["addr"].string, !addr.lowercased().hasPrefix("fe80") { return .string(addr) }
        }
        return iface["link_local"]
    }

    /// Whether `address` is one of the device's own unicast addresses.
    func isOwnAddress(_ address: String) -> Bool {
        let device = shared[RootSlot.device.rawValue]
        let iface = shared[RootSlot.iface.rawValue]
        if (device["own_addrs"].list ?? []).contains(.string(address)) { return true }
        if iface["ip"].string == address || iface["link_local"].string == address { return true }
        return (iface["ipv6_addrs"].list ?? []).contains { $0["addr"].string == address }
    }

    /// The value with every null map entry removed, at any depth (the value itself when it has
    /// none, which is the usual case: nothing is rebuilt then).
    static func droppingNulls(_ value: Value) -> Value {
        guard hasNullEntry(value) else { return value }
        switch value {
        case .map(let m):
            var out: [String: Value] = [:]
            for (k, v) in m where !v.isNull { out[k] = droppingNulls(v) }
            return .map(out)
        case .list(let l): return .list(l.map(droppingNulls))
        default: return value
        }
    }

    /// True when a map inside the value (or the value itself) has a null entry.
    static func hasNullEntry(_ value: Value) -> Bool {
        switch value {
        case .map(let m): m.values.contains { $0.isNull || hasNullEntry($0) }
        case .list(let l): l.contains(where: hasNullEntry)
        default: false
        }
    }
}
