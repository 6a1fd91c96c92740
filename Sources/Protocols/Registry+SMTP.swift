import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// SMTP: the `smtp.*` primitives of `spec/mail.md`'s catalogue and the message types (TCP 25).
    public static let smtp = ProtocolPack(
        name: "smtp", primitives: Registry.smtp,
        messages: ["SMTP_COMMAND", "SMTP_REPLY", "SMTP_CONTENT"],
        protocol: "smtp", transport: "tcp")
}

extension Registry {
    /// The `smtp.*` primitives of `spec/mail.md`'s catalogue.
    static let smtp: [Primitive] = [
        Primitive(
            "smtp.domain_of", .function, [.init("address", .string)], result: .string,
            "the part of a mail address after \"@\" (\"\" when there is none)"
        ) { inv throws(PrimitiveError) in
            .value(.string(MailAddress.domainOf(try inv.optionalString(0) ?? "")))
        },
        Primitive(
            "smtp.parse_address", .function, [.init("argument", .string)], result: .map,
            "{address, user, domain} from \"FROM:<x>\" or \"TO:<x>\" (angle brackets optional), split at \"@\"; domain in lower case, \"\" without \"@\""
        ) { inv throws(PrimitiveError) in
            .value(MailAddress(argument: try inv.optionalString(0) ?? "").value)
        },
        Primitive(
            "smtp.same_domain", .predicate, [.init("a", .string), .init("b", .string)], result: .bool,
            "the two domain names are equal without regard to case (false when either is missing or empty)"
        ) { inv throws(PrimitiveError) in
            guard let a = try inv.optionalString(0), let b = try inv.optionalString(1) else { return .value(false) }
            return .value(.bool(MailAddress.sameDomain(a, b)))
        },
        Primitive(
            "smtp.deliver_local", .action,
            [
                .init("mailboxes", .map, passing: .path), .init("users", .list), .init("domain", .string),
                .init("mail", .map, nullable: false),
            ],
            "append to mailboxes[u], for each user u, the mail {from, to: \"<u>@<domain>\", subject, body, date, size = length of body in code points}; a missing mailbox is created"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let users = try inv.list(1)
            let domain = try inv.optionalString(2) ?? ""
            let mail = try inv.map(3)
            let body = mail["body"] ?? .null
            // The length of the body in Unicode code points (a JSON string's length), not in
            // Swift's grapheme clusters, which would count "\r\n" as one.
            let size = body.isNull ? 0 : body.text.unicodeScalars.count
            let name = inv.pathText(0)
            var names: [String] = []
            for u in users {
                guard let user = u.string ?? (u.int.map { String($0) }) else {
                    throw PrimitiveError(
                        "smtp.deliver_local: a user name must be a string, not the \(u.typeName) \(JSON.encode(u))")
                }
                names.append(user)
            }
            // No local recipient: nothing is appended, so nothing is created either (a missing
            // mailbox map stays missing, as it does when the mail only goes to other domains).
            if !names.isEmpty {
                try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) in
                    var boxes: [String: Value]
                    switch v {
                    case .null: boxes = [:]
                    case .map(let m): boxes = m
                    default:
                        throw PrimitiveError(
                            "smtp.deliver_local: \(name) holds a \(v.typeName), not a map of mailboxes")
                    }
                    v = .null
                    for user in names {
                        var box: [Value]
                        switch boxes[user] ?? .null {
                        case .null: box = []
                        case .list(let l): box = l
                        case let other:
                            throw PrimitiveError(
                                "smtp.deliver_local: the mailbox of \(user) holds a \(other.typeName), not a list")
                        }
                        box.append(
                            .map([
                                "from": mail["from"] ?? .null, "to": .string("\(user)@\(domain)"),
                                "subject": mail["subject"] ?? .null,
                                "body": body, "date": mail["date"] ?? .null, "size": .int(size),
                            ]))
                        boxes[user] = .list(box)
                    }
                    v = .map(boxes)
                }
            }
            inv.effect(["deliver": .string(name), "users": .list(names.map(Value.string))])
            return .none
        },
    ]
}
