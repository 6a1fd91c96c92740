import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// FTP: the primitives of `spec/ftp.md`'s catalogue and the message types (TCP 21). The
    /// catalogue's `tcp.close` and `tcp.reset` are the engine's generic transport primitives.
    public static let ftp = ProtocolPack(
        name: "ftp", primitives: Registry.ftp,
        messages: ["FTP_COMMAND", "FTP_REPLY", "FTP_DATA"],
        protocol: "ftp", transport: "tcp")
}

extension Registry {
    /// The permission letter each file command needs (Packet Tracer's FTP user letters).
    static let ftpPermissionLetter: [String: Character] = [
        "STOR": "W", "RETR": "R", "DELE": "D", "RNFR": "N", "RNTO": "N", "LIST": "L",
    ]

    /// The `ftp.*` primitives of `spec/ftp.md`'s catalogue.
    static let ftp: [Primitive] = [
        Primitive(
            "ftp.permitted", .predicate, [.init("perms", .string), .init("command", .string)], result: .bool,
            "perms holds the letter the command needs (STOR W, RETR R, DELE D, RNFR/RNTO N, LIST L); false for null perms or another command"
        ) { inv throws(PrimitiveError) in
            guard let perms = try inv.optionalString(0), let command = try inv.optionalString(1),
                let letter = ftpPermissionLetter[command.uppercased()]
            else { return .value(false) }
            return .value(.bool(perms.uppercased().contains(letter)))
        },
        Primitive(
            "ftp.listing", .function, [.init("files", .map)], result: .list,
            "the entries of a file map as {name, size}, sorted by name in code-point order"
        ) { inv throws(PrimitiveError) in
            let files = try inv.map(0)
            let names = files.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            return .value(.list(names.map { name in .map(["name": .string(name), "size": files[name]!["size"]]) }))
        },
        Primitive(
            "ftp.report_listing", .action, [.init("listing", .list)],
            "report one line per entry, numbered from 0: \"<i>   : <name>   <size>\""
        ) { inv throws(PrimitiveError) in
            for (i, entry) in try inv.list(0).enumerated() {
                guard case .map(let m) = entry, let name = m["name"], !name.isNull else {
                    throw PrimitiveError("ftp.report_listing: entry \(i) is not a {name, size} map")
                }
                inv.report("\(i)   : \(name.text)   \((m["size"] ?? .null).text)")
            }
            return .none
        },
    ]
}
