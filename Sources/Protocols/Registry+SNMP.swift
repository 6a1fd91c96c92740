import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// SNMP: the primitives of `spec/snmp.md`'s catalogue and the message types (UDP 161/162).
    public static let snmp = ProtocolPack(
        name: "snmp", primitives: Registry.snmp,
        messages: [
            "SNMP_GET_REQUEST", "SNMP_GETNEXT_REQUEST", "SNMP_GETBULK_REQUEST", "SNMP_SET_REQUEST", "SNMP_RESPONSE",
            "SNMP_TRAP", "SNMP_INFORM_REQUEST", "SNMP_REPORT",
        ],
        protocol: "snmp", transport: "udp")
}

extension Registry {
    /// The SNMP primitives of `spec/snmp.md`'s catalogue.
    static let snmp: [Primitive] = managerPrimitives + agentPrimitives

    // MARK: Manager (MIB Browser)

    private static let managerPrimitives: [Primitive] = [
        Primitive(
            "snmp.is_unicast_ipv4", .predicate, [.init("address", .string)], result: .bool,
            "four decimal octets 0-255, not 0.0.0.0, not 255.255.255.255, not multicast (224-239 first octet)"
        ) { inv throws(PrimitiveError) in
            guard let text = try inv.value(0).string, let ip = IPv4.parse(text) else { return .value(false) }
            let first = ip >> 24
            return .value(.bool(ip != 0 && ip != 0xFFFF_FFFF && !(224...239).contains(first)))
        },
        Primitive(
            "snmp.value_fits_type", .predicate, [.init("value", .any), .init("type", .string)], result: .bool,
            "the text the user typed can be encoded as that SNMP type (Integer: 32-bit signed; Counter32/Gauge32/TimeTicks: 0-4294967295; IpAddress: dotted quad; ObjectIdentifier: dotted numbers; OctetString: anything)"
        ) { inv throws(PrimitiveError) in
            let value = try inv.value(0)
            guard let type = try inv.value(1).string else { return .value(false) }
            return .value(.bool(SNMP.fits(value, type)))
        },
        Primitive(
            "snmp.build_request", .function,
            [
                .init("op", .string, nullable: false), .init("version", .string, nullable: false),
                .init("security", .map, nullable: false), .init("request_id", .int, nullable: false),
                .init("varbinds", .list, nullable: false), .init("non_repeaters", .int),
                .init("max_repetitions", .int),
            ], result: .map,
            "the request message {type, fields}: type from op, version as the wire value, community or usm from security, request_id, varbinds, error_status/error_index 0 or GetBulk's non_repeaters/max_repetitions"
        ) { inv throws(PrimitiveError) in
            let op = try inv.string(0)
            let version = try inv.string(1)
            let security = Value.map(try inv.map(2))
            guard let type = SNMP.requestTypes[op] else {
                throw PrimitiveError("snmp.build_request: the operation \"\(op)\" is not get, getnext, getbulk or set")
            }
            guard let wire = SNMP.wireVersions[version] else {
                throw PrimitiveError("snmp.build_request: the version \"\(version)\" is not v1, v2c or v3")
            }
            var fields: [String: Value] = [
                "version": .int(wire), "request_id": .int(try inv.int(3)), "varbinds": .list(try inv.list(4)),
            ]
            switch security["model"].string {
            case "community":
                fields["community"] = security["community"]
            case "usm":
                let password = security["auth_password"]
                if let p = password.string, !p.isEmpty {
                    fields["usm"] = [
                        "user": security["user"], "level": "authNoPriv", "auth": ["signed_with": password],
                    ]
                } else {
                    fields["usm"] = ["user": security["user"], "level": "noAuthNoPriv", "auth": .null]
                }
            default:
                throw PrimitiveError(
                    "snmp.build_request: the security model \(JSON.encode(security["model"])) is not \"community\" or \"usm\""
                )
            }
            if op == "getbulk" {
                fields["non_repeaters"] = .int(try inv.value(5).int ?? 0)
                fields["max_repetitions"] = .int(try inv.value(6).int ?? 0)
            } else {
                fields["error_status"] = 0
                fields["error_index"] = 0
            }
            return .value(["type": .string(type), "fields": .map(fields)])
        },
        Primitive(
            "snmp.well_formed", .predicate, [.init("message", .map)], result: .bool,
            "protocol snmp, version 0, 1 or 3, a known SNMP type, a community (v1/v2c) or usm map (v3), a varbind list; a v1 Trap needs generic_trap, the others a request_id"
        ) { inv throws(PrimitiveError) in
            .value(.bool(SNMP.wellFormed(try inv.value(0))))
        },
        Primitive(
            "snmp.trap_oid", .function, [.init("message", .map, nullable: false)], result: .string,
            "the notification's trap OID: v1 generic 0-5 -> 1.3.6.1.6.3.1.1.5.<generic+1>, generic 6 -> <enterprise>.0.<specific>; v2/inform -> the value of varbind snmpTrapOID.0 (null when absent)"
        ) { inv throws(PrimitiveError) in
            let m = Value.map(try inv.map(0))
            if m["version"].looselyEquals(0), m["type"] == "SNMP_TRAP" {
                guard let generic = m["generic_trap"].int else { return .none }
                if (0...5).contains(generic) { return .value(.string("\(SNMP.trapBase).\(generic + 1)")) }
                if generic == 6, let enterprise = m["enterprise"].string {
                    return .value(.string("\(enterprise).0.\(m["specific_trap"].int ?? 0)"))
                }
                return .none
            }
            for vb in m["varbinds"].list ?? [] where SNMP.sameOID(vb["oid"], SNMP.snmpTrapOID) {
                return .value(vb["value"])
            }
            return .none
        },
        Primitive(
            "snmp.error_text", .function, [.init("status", .int), .init("index", .int), .init("varbinds", .list)],
            result: .string,
            "the error-status name (unknown -> error <n>), followed by ' at <oid>' when index is 1 or more and that varbind exists"
        ) { inv throws(PrimitiveError) in
            let status = try inv.value(0).int ?? 0
            let index = try inv.value(1).int ?? 0
            let varbinds = try inv.list(2)
            var text = SNMP.errorNames.indices.contains(status) ? SNMP.errorNames[status] : "error \(status)"
            if index >= 1, index <= varbinds.count, let oid = varbinds[index - 1]["oid"].string { text += " at \(oid)" }
            return .value(.string(text))
        },
        Primitive(
            "snmp.exception_text", .function, [.init("value", .string)], result: .string,
            "noSuchObject -> No Such Object, noSuchInstance -> No Such Instance, endOfMibView -> End Of MIB View"
        ) { inv throws(PrimitiveError) in
            .value(.string(SNMP.exceptionText(try inv.value(0).text)))
        },
        Primitive(
            "snmp.add_results", .action,
            [.init("results", .list, passing: .path), .init("varbinds", .list), .init("from", .string)],
            "append one row {oid, value, type, from} per varbind to the result table; an exception's value is shown as its text"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let varbinds = try inv.list(1)
            let from = try inv.value(2)
            let rows: [Value] = varbinds.map { vb in
                let value = vb["type"] == "exception" ? Value.string(SNMP.exceptionText(vb["value"].text)) : vb["value"]
                return ["oid": vb["oid"], "value": value, "type": vb["type"], "from": from]
            }
            let name = inv.pathText(0)
            try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) in
                switch v {
                case .null: v = .list(rows)
                case .list(var l):
                    v = .null
                    l.append(contentsOf: rows)
                    v = .list(l)
                default: throw PrimitiveError("snmp.add_results: \(name) holds a \(v.typeName), not a list")
                }
            }
            inv.effect(["append": .string(name), "value": .list(rows)])
            return .none
        },
        Primitive(
            "snmp.report_text", .function, [.init("varbinds", .list)], result: .string,
            "the refusal a v3 Report names by its first varbind's OID: unknown user name, security level not supported, wrong digest, else 'Report <oid>'"
        ) { inv throws(PrimitiveError) in
            let oid = try inv.list(0).first?["oid"].text ?? ""
            switch oid {
            case SNMP.usmUnknownUser: return .value("Unknown user name")
            case SNMP.usmUnsupportedLevel: return .value("Security level not supported")
            case SNMP.usmWrongDigest: return .value("Authentication failed (wrong digest)")
            default: return .value(.string("Report \(oid)"))
            }
        },
    ]

    // MARK: Agent

    private static let agentPrimitives: [Primitive] = [
        Primitive(
            "snmp.usm_ok", .function, [.init("usm", .map), .init("users", .list, passing: .path)], result: .map,
            "the v3 user (bound as an element of users) named usm.user when the message's level is at least the user's and, at authNoPriv or above, usm.auth.signed_with equals the user's auth_password; else null"
        ) { inv throws(PrimitiveError) in
            let usm = try inv.value(0)
            let users = try inv.list(1)
            guard case .ok(let user) = SNMP.usmCheck(usm, users) else { return .none }
            // spec/snmp.md: "element of users or null"; `as local.user` binds the element itself, as find does.
            if let i = users.firstIndex(where: { $0 == user }) { return try inv.element(ofList: 1, at: i) }
            return .value(user)
        },
        Primitive(
            "snmp.usm_failure", .function, [.init("usm", .map), .init("users", .list)], result: .string,
            "the usmStats counter OID of the first failed check: unknown user ...3.0, level not allowed ...1.0, wrong digest ...5.0 (null when none fails)"
        ) { inv throws(PrimitiveError) in
            let usm = try inv.value(0)
            let users = try inv.list(1)
            switch SNMP.usmCheck(usm, users) {
            case .ok: return .none
            case .unknownUser: return .value(.string(SNMP.usmUnknownUser))
            case .level: return .value(.string(SNMP.usmUnsupportedLevel))
            case .digest: return .value(.string(SNMP.usmWrongDigest))
            }
        },
        Primitive(
            "snmp.send_traps", .action,
            [
                .init("hosts", .list), .init("trap", .string, nullable: false), .init("mib", .list),
                .init("agent_addr", .string),
            ],
            "send one SNMP_TRAP to <host.ip>:162 per trap host, with the host's community, as a v1 Trap-PDU or a v2c SNMPv2-Trap"
        ) { inv throws(PrimitiveError) in
            let hosts = try inv.list(0)
            let trap = try inv.string(1)
            let mib = try inv.list(2)
            let agentAddr = try inv.value(3)
            guard let generic = SNMP.genericTraps[trap] else {
                throw PrimitiveError(
                    "snmp.send_traps: \"\(trap)\" is not coldStart, warmStart, linkDown, linkUp or authenticationFailure"
                )
            }
            let upTime = mib.first { SNMP.sameOID($0["oid"], SNMP.sysUpTime) }?["value"] ?? .int(0)
            for host in hosts {
                guard let ip = host["ip"].string else { throw PrimitiveError("snmp.send_traps: a trap host has no ip") }
                var fields: [String: Value] = ["community": host["community"]]
                if host["version"] == "v1" {
                    fields["version"] = 0
                    fields["enterprise"] = "1.3.6.1.4.1.9"
                    fields["agent_addr"] = agentAddr
                    fields["generic_trap"] = .int(generic)
                    fields["specific_trap"] = 0
                    fields["time_stamp"] = upTime.isNull ? 0 : upTime
                    fields["varbinds"] = []
                } else {
                    fields["version"] = 1
                    fields["request_id"] = 0
                    fields["error_status"] = 0
                    fields["error_index"] = 0
                    fields["varbinds"] = [
                        ["oid": .string(SNMP.sysUpTime), "type": "TimeTicks", "value": upTime.isNull ? 0 : upTime],
                        [
                            "oid": .string(SNMP.snmpTrapOID), "type": "ObjectIdentifier",
                            "value": .string("\(SNMP.trapBase).\(generic + 1)"),
                        ],
                    ]
                }
                try inv.send(type: "SNMP_TRAP", to: "\(ip):162", fields: fields)
            }
            return .none
        },
        Primitive(
            "snmp.error_code", .function, [.init("kind", .string, nullable: false), .init("version", .int)],
            result: .int,
            "the error-status for a kind of failure: access_denied 4 (v1) / 6, not_writable 2 / 17, wrong_type 3 / 7"
        ) { inv throws(PrimitiveError) in
            let kind = try inv.string(0)
            let v1 = try inv.value(1).looselyEquals(0)
            switch kind {
            case "access_denied": return .value(.int(v1 ? 4 : 6))
            case "not_writable": return .value(.int(v1 ? 2 : 17))
            case "wrong_type": return .value(.int(v1 ? 3 : 7))
            default:
                throw PrimitiveError("snmp.error_code: \"\(kind)\" is not access_denied, not_writable or wrong_type")
            }
        },
        Primitive(
            "snmp.all_writable", .predicate, [.init("varbinds", .list), .init("mib", .list)], result: .bool,
            "every varbind's OID is an instance in the MIB whose access is read-write"
        ) { inv throws(PrimitiveError) in
            let varbinds = try inv.list(0)
            let mib = try inv.list(1)
            return .value(.bool(SNMP.firstIndex(varbinds) { !SNMP.writable($0, mib) } == 0))
        },
        Primitive(
            "snmp.first_unwritable", .function, [.init("varbinds", .list), .init("mib", .list)], result: .int,
            "1-based position of the first varbind that is not a read-write instance (0 if none)"
        ) { inv throws(PrimitiveError) in
            let varbinds = try inv.list(0)
            let mib = try inv.list(1)
            return .value(.int(SNMP.firstIndex(varbinds) { !SNMP.writable($0, mib) }))
        },
        Primitive(
            "snmp.all_types_match", .predicate, [.init("varbinds", .list), .init("mib", .list)], result: .bool,
            "every varbind's type equals the type of its MIB instance"
        ) { inv throws(PrimitiveError) in
            let varbinds = try inv.list(0)
            let mib = try inv.list(1)
            return .value(.bool(SNMP.firstIndex(varbinds) { !SNMP.typeMatches($0, mib) } == 0))
        },
        Primitive(
            "snmp.first_type_mismatch", .function, [.init("varbinds", .list), .init("mib", .list)], result: .int,
            "1-based position of the first varbind whose type differs from its instance's (0 if none)"
        ) { inv throws(PrimitiveError) in
            let varbinds = try inv.list(0)
            let mib = try inv.list(1)
            return .value(.int(SNMP.firstIndex(varbinds) { !SNMP.typeMatches($0, mib) }))
        },
        Primitive(
            "snmp.write", .action, [.init("mib", .list, passing: .path), .init("varbinds", .list)],
            "set each instance's value; mirror sysName.0 into device.hostname, sysContact.0 into device.snmp.contact, sysLocation.0 into device.snmp.location"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let varbinds = try inv.list(1)
            let name = inv.pathText(0)
            try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) in
                guard case .list(var mib) = v else {
                    throw PrimitiveError("snmp.write: \(name) holds a \(v.typeName), not a list")
                }
                v = .null
                for vb in varbinds {
                    guard let i = mib.firstIndex(where: { SNMP.sameOID($0["oid"], vb["oid"]) }),
                        case .map(var entry) = mib[i]
                    else {
                        v = .list(mib)
                        throw PrimitiveError("snmp.write: \(vb["oid"].text) is not an instance of the MIB")
                    }
                    mib[i] = .null
                    entry["value"] = vb["value"]
                    mib[i] = .map(entry)
                }
                v = .list(mib)
            }
            inv.effect(["snmp.write": .string(name), "varbinds": .list(varbinds)])
            for vb in varbinds {
                for (oid, path) in SNMP.mirrors where SNMP.sameOID(vb["oid"], oid) {
                    try inv.write(ContextPath(path), vb["value"])
                }
            }
            return .none
        },
        Primitive(
            "snmp.retrieve", .function,
            [
                .init("type", .string, nullable: false), .init("varbinds", .list), .init("mib", .list),
                .init("non_repeaters", .int), .init("max_repetitions", .int),
            ], result: .list,
            "the answer varbinds {oid, type, value}: Get exact, GetNext successor, GetBulk per RFC 3416 §4.2.3; an unanswered one is {oid, unresolved: true}"
        ) { inv throws(PrimitiveError) in
            let type = try inv.string(0)
            let varbinds = try inv.list(1)
            let mib = SNMP.Instances(try inv.list(2))
            switch type {
            case "SNMP_GET_REQUEST":
                return .value(.list(varbinds.map { mib.exact($0["oid"]) }))
            case "SNMP_GETNEXT_REQUEST":
                return .value(.list(varbinds.map { mib.next($0["oid"]) }))
            case "SNMP_GETBULK_REQUEST":
                let n = max(min(try inv.value(3).int ?? 0, varbinds.count), 0)
                let m = max(try inv.value(4).int ?? 0, 0)
                var out = varbinds.prefix(n).map { mib.next($0["oid"]) }
                var last = varbinds.dropFirst(n).map { $0["oid"] }
                if !last.isEmpty {
                    for _ in 0..<m {
                        // RFC 3416 §4.2.3: a response that would not fit the largest message carries fewer
                        // varbinds; no UDP message holds more than maxResponseVarbinds.
                        guard out.count + last.count <= SNMP.maxResponseVarbinds else { break }
                        let row = last.map { mib.next($0) }
                        out += row
                        last = row.map { $0["oid"] }
                        // spec/snmp.md: every repeater gets max_repetitions successors, so rows past the end of
                        // the MIB are answered too (endOfMibView on the last OID); RFC 3416 §4.2.3 only allows
                        // an agent to stop early, and the catalogue does not take that option.
                    }
                }
                return .value(.list(out))
            default:
                throw PrimitiveError("snmp.retrieve: \"\(type)\" is not a Get, GetNext or GetBulk request")
            }
        },
        Primitive(
            "snmp.first_unresolved", .function, [.init("results", .list)], result: .int,
            "1-based position of the first unresolved entry (0 if none)"
        ) { inv throws(PrimitiveError) in
            .value(.int(SNMP.firstIndex(try inv.list(0)) { $0["unresolved"] == true }))
        },
        Primitive(
            "snmp.fill_exceptions", .function, [.init("results", .list), .init("type", .string), .init("mib", .list)],
            result: .list,
            "the results with each unresolved entry replaced by an exception: Get -> noSuchObject when no instance's object is the OID or a prefix of it, else noSuchInstance; GetNext/GetBulk -> endOfMibView"
        ) { inv throws(PrimitiveError) in
            let results = try inv.list(0)
            let type = try inv.value(1).string
            let mib = try inv.list(2)
            return .value(
                .list(
                    results.map { r in
                        guard r["unresolved"] == true else { return r }
                        let value: String
                        if type == "SNMP_GET_REQUEST" {
                            let requested = r["oid"].string.flatMap(OID.init)
                            let known =
                                requested.map { oid in
                                    mib.contains { ($0["object"].string.flatMap(OID.init))?.isPrefix(of: oid) ?? false }
                                } ?? false
                            value = known ? "noSuchInstance" : "noSuchObject"
                        } else {
                            value = "endOfMibView"
                        }
                        return ["oid": r["oid"], "type": "exception", "value": .string(value)]
                    }))
        },
    ]
}

/// SNMP data-model constants and helpers shared by the primitives.
enum SNMP {
    /// The most varbinds a response can hold: a UDP message is at most 65,507 bytes and a varbind
    /// takes at least 7 (its sequence, a one-byte OID, a NULL value).
    static let maxResponseVarbinds = 65_507 / 7
    static let sysUpTime = "1.3.6.1.2.1.1.3.0"
    static let snmpTrapOID = "1.3.6.1.6.3.1.1.4.1.0"
    static let trapBase = "1.3.6.1.6.3.1.1.5"
    static let usmUnsupportedLevel = "1.3.6.1.6.3.15.1.1.1.0"
    static let usmUnknownUser = "1.3.6.1.6.3.15.1.1.3.0"
    static let usmWrongDigest = "1.3.6.1.6.3.15.1.1.5.0"
    static let mirrors: [(String, String)] = [
        ("1.3.6.1.2.1.1.5.0", "device.hostname"), ("1.3.6.1.2.1.1.4.0", "device.snmp.contact"),
        ("1.3.6.1.2.1.1.6.0", "device.snmp.location"),
    ]
    static let requestTypes = [
        "get": "SNMP_GET_REQUEST", "getnext": "SNMP_GETNEXT_REQUEST", "getbulk": "SNMP_GETBULK_REQUEST",
        "set": "SNMP_SET_REQUEST",
    ]
    static let wireVersions = ["v1": 0, "v2c": 1, "v3": 3]
    static let types: Set<String> = [
        "SNMP_GET_REQUEST", "SNMP_GETNEXT_REQUEST", "SNMP_GETBULK_REQUEST", "SNMP_SET_REQUEST",
        "SNMP_RESPONSE", "SNMP_TRAP", "SNMP_INFORM_REQUEST", "SNMP_REPORT",
    ]
    static let genericTraps = ["coldStart": 0, "warmStart": 1, "linkDown": 2, "linkUp": 3, "authenticationFailure": 4]
    static let errorNames = [
        "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess", "wrongType",
        "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
        "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable",
        "inconsistentName",
    ]
    static let levels = ["noAuthNoPriv": 0, "authNoPriv": 1, "authPriv": 2]

    static func exceptionText(_ value: String) -> String {
        switch value {
        case "noSuchObject": "No Such Object"
        case "noSuchInstance": "No Such Instance"
        case "endOfMibView": "End Of MIB View"
        default: value
        }
    }

    /// OIDs are equal numerically (text equality for text that is not an OID).
    static func sameOID(_ a: Value, _ b: Value) -> Bool {
        guard let x = a.string, let y = b.string else { return false }
        if let p = OID(x), let q = OID(y) { return p == q }
        return x == y
    }

    static func sameOID(_ a: Value, _ b: String) -> Bool { sameOID(a, .string(b)) }

    static func fits(_ value: Value, _ type: String) -> Bool {
        let text: String
        switch value {
        case .string(let s): text = s
        case .int, .double: text = value.text
        default: return false
        }
        let digits = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        switch type {
        case "Integer":
            var body = Substring(text)
            if body.first == "+" || body.first == "-" { body = body.dropFirst() }
            guard digits(body), let n = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
                return false
            }
            return n >= Int64(Int32.min) && n <= Int64(Int32.max)
        case "Counter32", "Gauge32", "TimeTicks":
            guard digits(Substring(text)), let n = UInt64(text) else { return false }
            return n <= UInt64(UInt32.max)
        case "Counter64":
            return digits(Substring(text)) && UInt64(text) != nil
        case "IpAddress":
            return IPv4.parse(text) != nil
        case "ObjectIdentifier":
            return OID(text) != nil
        case "OctetString":
            return true
        default:
            return false
        }
    }

    static func wellFormed(_ m: Value) -> Bool {
        guard m["protocol"] == "snmp", let type = m["type"].string, types.contains(type),
            let version = m["version"].int, [0, 1, 3].contains(version), case .list = m["varbinds"]
        else { return false }
        if version == 3 {
            guard case .map = m["usm"] else { return false }
        } else {
            guard case .string = m["community"] else { return false }
        }
        if version == 0 && type == "SNMP_TRAP" { return m["generic_trap"].int != nil }
        return m["request_id"].int != nil
    }

    /// The outcome of the user-based security checks.
    enum USMResult {
        case ok(Value)
        case unknownUser, level, digest
    }

    /// RFC 3414 §3.2's checks in order: the user, the security level, the digest.
    static func usmCheck(_ usm: Value, _ users: [Value]) -> USMResult {
        guard let name = usm["user"].string, let user = users.first(where: { $0["name"].string == name }) else {
            return .unknownUser
        }
        guard let level = usm["level"].string.flatMap({ levels[$0] }) else { return .level }
        let needed = user["level"].string.flatMap { levels[$0] } ?? 0
        guard level >= needed else { return .level }
        if level >= 1 {
            guard let password = user["auth_password"].string, usm["auth"]["signed_with"].string == password else {
                return .digest
            }
        }
        return .ok(user)
    }

    static func firstIndex(_ list: [Value], where bad: (Value) -> Bool) -> Int {
        list.firstIndex(where: bad).map { $0 + 1 } ?? 0
    }

    static func instance(_ oid: Value, _ mib: [Value]) -> Value? { mib.first { sameOID($0["oid"], oid) } }

    static func writable(_ vb: Value, _ mib: [Value]) -> Bool { instance(vb["oid"], mib)?["access"] == "read-write" }

    static func typeMatches(_ vb: Value, _ mib: [Value]) -> Bool {
        guard let entry = instance(vb["oid"], mib) else { return false }
        return entry["type"].looselyEquals(vb["type"])
    }

    /// The MIB's instances with parsed OIDs, for Get and GetNext.
    struct Instances {
        let entries: [(oid: OID, entry: Value)]

        init(_ mib: [Value]) {
            entries = mib.compactMap { e in e["oid"].string.flatMap(OID.init).map { ($0, e) } }.sorted {
                $0.oid < $1.oid
            }
        }

        static func answer(_ e: Value) -> Value { ["oid": e["oid"], "type": e["type"], "value": e["value"]] }

        func exact(_ oid: Value) -> Value {
            if let want = oid.string.flatMap(OID.init), let hit = entries.first(where: { $0.oid == want }) {
                return Self.answer(hit.entry)
            }
            return ["oid": oid, "unresolved": true]
        }

        func next(_ oid: Value) -> Value {
            if let want = oid.string.flatMap(OID.init), let hit = entries.first(where: { want < $0.oid }) {
                return Self.answer(hit.entry)
            }
            return ["oid": oid, "unresolved": true]
        }
    }
}
