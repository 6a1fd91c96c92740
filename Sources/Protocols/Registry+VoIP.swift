import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// VoIP (SCCP phones, CME, H.225 between CMEs): the `voip.*` primitives of `spec/voip.md`'s
    /// catalogue and the SCCP and H.225 message types, both over TCP.
    public static let voip: ProtocolPack = {
        let sccp = [
            "SCCP_REGISTER", "SCCP_REGISTER_ACK", "SCCP_REGISTER_REJECT", "SCCP_OFFHOOK", "SCCP_ONHOOK",
            "SCCP_KEYPAD_BUTTON", "SCCP_START_TONE", "SCCP_STOP_TONE", "SCCP_CALL_STATE", "SCCP_SET_RINGER",
            "SCCP_CALL_INFO",
        ]
        let h225 = ["H225_SETUP", "H225_ALERTING", "H225_CONNECT", "H225_RELEASE_COMPLETE"]
        var table: [String: MessageType] = [:]
        for m in sccp { table[m] = MessageType(protocolName: "sccp", transport: "tcp") }
        for m in h225 { table[m] = MessageType(protocolName: "h225", transport: "tcp") }
        return ProtocolPack(name: "voip", primitives: Registry.voip, messages: table)
    }()
}

extension Registry {
    /// The `voip.*` primitives of `spec/voip.md`'s catalogue.
    static let voip: [Primitive] = [
        Primitive(
            "voip.device_name", .function, [.init("mac", .string, nullable: false)], result: .string,
            "\"SEP\" + the MAC's 12 hex digits in upper case (00:01:43:21:aa:aa or 0001.4321.AAAA -> SEP00014321AAAA)"
        ) { inv throws(PrimitiveError) in
            let mac = try inv.string(0)
            guard let hex = VoIP.macHex(mac) else {
                throw PrimitiveError("voip.device_name: \"\(mac)\" is not a MAC address")
            }
            return .value(.string("SEP" + hex))
        },
        Primitive(
            "voip.call_agent", .function, [.init("config", .string)], result: .map,
            "{ip, port} of a phone configuration file: the first <processNodeName> when it is a dotted quad, the first <ethernetPhonePort> (2000 when absent); null otherwise"
        ) { inv throws(PrimitiveError) in
            guard let text = try inv.optionalString(0) else { return .none }
            guard let name = VoIP.firstElement("processNodeName", in: text)?.voipTrimmed, IPv4.parse(name) != nil else {
                return .none
            }
            var port = 2000
            if let given = VoIP.firstElement("ethernetPhonePort", in: text) {
                // A port that is not a number in 1...65535 names no usable call agent (choice).
                guard let p = Int(given.voipTrimmed), (1...65535).contains(p) else { return .none }
                port = p
            }
            return .value(.map(["ip": .string(name), "port": .int(port)]))
        },
        Primitive(
            "voip.mac_of", .function, [.init("device_name", .string)], result: .string,
            "the MAC in IOS form with upper-case hex (SEP00014321AAAA -> 0001.4321.AAAA) when the name is SEP and exactly 12 hex digits, else null"
        ) { inv throws(PrimitiveError) in
            guard let name = try inv.optionalString(0), name.hasPrefix("SEP") else { return .none }
            let hex = name.dropFirst(3)
            guard hex.count == 12, hex.allSatisfy(\.isHexDigit), hex.allSatisfy(\.isASCII) else { return .none }
            let up = Array(hex.uppercased())
            return .value(.string("\(String(up[0..<4])).\(String(up[4..<8])).\(String(up[8..<12]))"))
        },
        Primitive(
            "voip.lines_text", .function, [.init("lines", .list)], result: .string,
            "the numbers of the lines joined by a space, in button order; \"No lines\" when there are none"
        ) { inv throws(PrimitiveError) in
            let lines = try inv.list(0)
            for line in lines where line.map == nil {
                throw PrimitiveError("voip.lines_text: a line is a \(line.typeName), not a map {button, number}")
            }
            let numbers = VoIP.byButton(lines).compactMap { $0["number"].isNull ? nil : $0["number"].text }
            return .value(.string(numbers.isEmpty ? "No lines" : numbers.joined(separator: " ")))
        },
        Primitive(
            "voip.below_max", .predicate, [.init("ephones", .list), .init("max_ephones", .int)], result: .bool,
            "the list holds fewer than max_ephones entries (a missing max-ephones is the default 0)"
        ) { inv throws(PrimitiveError) in
            let ephones = try inv.list(0)
            let max = try inv.value(1).isNull ? 0 : try inv.int(1)
            return .value(.bool(ephones.count < max))
        },
        Primitive(
            "voip.free_ephone_id", .function, [.init("ephones", .list)], result: .int,
            "the lowest id >= 1 used by no ephone"
        ) { inv throws(PrimitiveError) in
            let used = Set(try inv.list(0).compactMap { $0["id"].int })
            var id = 1
            while used.contains(id) { id += 1 }
            return .value(.int(id))
        },
        Primitive(
            "voip.auto_assign_for", .function, [.init("ranges", .list), .init("type", .string)], result: .map,
            "the first auto assign entry {from, to, type} whose type is null or equals the phone type, else null"
        ) { inv throws(PrimitiveError) in
            let type = try inv.optionalString(1)
            for range in try inv.list(0) {
                guard case .map = range else {
                    throw PrimitiveError(
                        "voip.auto_assign_for: an entry is a \(range.typeName), not a map {from, to, type}")
                }
                if range["type"].isNull || range["type"].text == type { return .value(range) }
            }
            return .none
        },
        Primitive(
            "voip.free_dn", .function,
            [.init("dns", .list, passing: .path), .init("ephones", .list), .init("range", .map, nullable: false)],
            result: .map,
            "the ephone-dn (bound as an element of dns) with the lowest tag in range.from...range.to that no ephone's button is bound to, else null"
        ) { inv throws(PrimitiveError) in
            let dns = try inv.list(0)
            let ephones = try inv.list(1)
            let range = Value.map(try inv.map(2))
            guard let from = range["from"].int, let to = range["to"].int else {
                throw PrimitiveError(
                    "voip.free_dn: the range needs whole numbers 'from' and 'to', not \(JSON.encode(range))")
            }
            let bound = Set(ephones.flatMap { ($0["buttons"].list ?? []).compactMap { $0["dn_tag"].int } })
            var best: (index: Int, tag: Int)?
            for (i, dn) in dns.enumerated() {
                guard let tag = dn["tag"].int, from <= tag, tag <= to, !bound.contains(tag) else { continue }
                if best == nil || tag < best!.tag { best = (i, tag) }
            }
            guard let best else { return .none }
            return try VoIP.element(inv, list: 0, index: best.index, dns[best.index])
        },
        Primitive(
            "voip.lines_of", .function, [.init("ephone", .map), .init("dns", .list)], result: .list,
            "{button, number} for each button of the ephone whose dn_tag names a configured ephone-dn, in button order"
        ) { inv throws(PrimitiveError) in
            let ephone = Value.map(try inv.map(0))
            let dns = try inv.list(1)
            var lines: [Value] = []
            for button in VoIP.byButton(ephone["buttons"].list ?? []) {
                guard let tag = button["dn_tag"].int, let dn = dns.first(where: { $0["tag"].int == tag }) else {
                    continue
                }
                lines.append(.map(["button": button["button"], "number": dn["number"]]))
            }
            return .value(.list(lines))
        },
        Primitive(
            "voip.dn_on_line", .function,
            [.init("ephone", .map), .init("line", .int), .init("dns", .list, passing: .path)],
            result: .map,
            "the ephone-dn (bound as an element of dns) on the ephone's button numbered line, when that ephone-dn is configured; else null"
        ) { inv throws(PrimitiveError) in
            let ephone = Value.map(try inv.map(0))
            guard let line = try inv.value(1).int else { return .none }
            guard let button = (ephone["buttons"].list ?? []).first(where: { $0["button"].int == line }),
                let tag = button["dn_tag"].int
            else { return .none }
            let dns = try inv.list(2)
            guard let i = dns.firstIndex(where: { $0["tag"].int == tag }) else { return .none }
            return try VoIP.element(inv, list: 2, index: i, dns[i])
        },
        Primitive(
            "voip.phone_with_dn", .function, [.init("ephones", .list, passing: .path), .init("tag", .int)],
            result: .map,
            "the first ephone (bound as an element of ephones) with a button bound to the ephone-dn tag, else null"
        ) { inv throws(PrimitiveError) in
            guard let tag = try inv.value(1).int else { return .none }
            let ephones = try inv.list(0)
            guard let i = ephones.firstIndex(where: { ($0["buttons"].list ?? []).contains { $0["dn_tag"].int == tag } })
            else { return .none }
            return try VoIP.element(inv, list: 0, index: i, ephones[i])
        },
        Primitive(
            "voip.could_complete", .predicate, [.init("digits", .string), .init("dns", .list), .init("peers", .list)],
            result: .bool,
            "some ephone-dn number, or some dial-peer destination-pattern, is longer than the digits and matches them position by position"
        ) { inv throws(PrimitiveError) in
            let digits = try inv.optionalString(0) ?? ""
            for dn in try inv.list(1) {
                guard !dn["number"].isNull else { continue }
                let number = dn["number"].text
                if number.count > digits.count, number.hasPrefix(digits) { return .value(true) }
            }
            for peer in try inv.list(2) {
                guard let pattern = peer["destination_pattern"].string.flatMap(DialPattern.init) else { continue }
                if pattern.couldExtend(digits) { return .value(true) }
            }
            return .value(false)
        },
        Primitive(
            "voip.any_pattern_matches", .predicate, [.init("peers", .list), .init("digits", .string)], result: .bool,
            "some dial-peer's destination_pattern matches all of the digits (a malformed pattern matches nothing)"
        ) { inv throws(PrimitiveError) in
            let digits = try inv.optionalString(1) ?? ""
            return .value(.bool(try inv.list(0).contains { VoIP.pattern(of: $0)?.matchesAll(digits) ?? false }))
        },
        Primitive(
            "voip.select_dial_peer", .function, [.init("peers", .list), .init("digits", .string)], result: .map,
            "among the dial-peers matching all the digits, the one with the most literal digits, then the lowest preference, then the lowest tag; null when none matches"
        ) { inv throws(PrimitiveError) in
            let digits = try inv.optionalString(1) ?? ""
            var best: (peer: Value, key: (Int, Int, Int))?
            for peer in try inv.list(0) {
                guard let pattern = VoIP.pattern(of: peer), pattern.matchesAll(digits) else { continue }
                let key = (-pattern.literalCount, peer["preference"].int ?? 0, peer["tag"].int ?? Int.max)
                if best == nil || key < best!.key { best = (peer, key) }
            }
            return .value(best?.peer ?? .null)
        },
        Primitive(
            "voip.session_target_ipv4", .function, [.init("target", .string)], result: .string,
            "the address when the target is \"ipv4:<dotted quad>\", else null"
        ) { inv throws(PrimitiveError) in
            guard let target = try inv.optionalString(0), target.hasPrefix("ipv4:") else { return .none }
            let address = String(target.dropFirst(5))
            return IPv4.parse(address) == nil ? .none : .value(.string(address))
        },
    ]
}

/// VoIP helpers shared by the primitives.
enum VoIP {
    /// The 12 upper-case hex digits of a MAC written as 00:01:43:21:aa:aa, 00-01-43-21-AA-AA,
    /// 0001.4321.AAAA or 00014321AAAA; nil for anything else.
    static func macHex(_ mac: String) -> String? {
        let text = mac.voipTrimmed
        guard text.allSatisfy(\.isASCII) else { return nil }
        let groups: [Substring]
        let width: Int
        if text.contains(":") || text.contains("-") {
            groups = text.split(separator: text.contains(":") ? ":" : "-", omittingEmptySubsequences: false)
            guard groups.count == 6 else { return nil }
            width = 2
        } else if text.contains(".") {
            groups = text.split(separator: ".", omittingEmptySubsequences: false)
            guard groups.count == 3 else { return nil }
            width = 4
        } else {
            groups = [Substring(text)]
            width = 12
        }
        var hex = ""
        for g in groups {
            guard !g.isEmpty, g.count <= width, g.allSatisfy(\.isHexDigit) else { return nil }
            hex += String(repeating: "0", count: width - g.count) + g.uppercased()
        }
        return hex.count == 12 ? hex : nil
    }

    /// The text of the first `<name>` element (`<name/>` gives ""), or nil when there is none.
    static func firstElement(_ name: String, in text: String) -> String? {
        var rest = text[...]
        while let open = rest.range(of: "<" + name) {
            let after = rest[open.upperBound...]
            guard let next = after.first else { return nil }
            if next == ">" || next == " " || next == "\t" || next == "\n" || next == "/" {
                guard let close = after.firstIndex(of: ">") else { return nil }
                if after[..<close].hasSuffix("/") { return "" }
                let body = after[after.index(after: close)...]
                guard let end = body.range(of: "</" + name) else { return nil }
                return String(body[..<end.lowerBound])
            }
            rest = after
        }
        return nil
    }

    /// Entries sorted by their `button` number (stable; entries without one last).
    static func byButton(_ list: [Value]) -> [Value] {
        list.enumerated().sorted { a, b in
            let x = a.element["button"].int ?? Int.max
            let y = b.element["button"].int ?? Int.max
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    static func pattern(of peer: Value) -> DialPattern? {
        peer["destination_pattern"].string.flatMap(DialPattern.init)
    }

    /// Binds an element of the list given as path parameter `i`, as `find` does: `as local.x`
    /// then aliases the element itself, so writes through `local.x` change it.
    static func element(_ inv: Invocation, list i: Int, index: Int, _ item: Value) throws(PrimitiveError)
        -> PrimitiveResult
    {
        try inv.element(ofList: i, at: index)
    }
}

extension StringProtocol {
    fileprivate var voipTrimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
