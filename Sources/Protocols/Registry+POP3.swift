import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// POP3: the `pop3.*` primitives of `spec/mail.md`'s catalogue and the message types (TCP 110).
    public static let pop3 = ProtocolPack(
        name: "pop3", primitives: Registry.pop3,
        messages: ["POP3_COMMAND", "POP3_REPLY"],
        protocol: "pop3", transport: "tcp")
}

extension Registry {
    /// The `pop3.*` primitives of `spec/mail.md`'s catalogue.
    static let pop3: [Primitive] = [
        Primitive(
            "pop3.message_count", .function, [.init("text", .string)], result: .int,
            "the first whole number in the text (0 when there is none)"
        ) { inv throws(PrimitiveError) in
            .value(.int(Maildrop.firstNumber(try inv.optionalString(0) ?? "")))
        },
        Primitive(
            "pop3.stat", .function, [.init("mailbox", .list), .init("deleted", .list)], result: .map,
            "{count, size, list} of the messages whose 1-based number is not in deleted: their number, total size, and each as {number, size}"
        ) { inv throws(PrimitiveError) in
            .value(Maildrop(try inv.list(0), deleted: try inv.list(1)).stat)
        },
        Primitive(
            "pop3.message_ok", .predicate, [.init("mailbox", .list), .init("deleted", .list), .init("number", .any)],
            result: .bool,
            "the number (an int or decimal text) is from 1 to the mailbox length and not in deleted"
        ) { inv throws(PrimitiveError) in
            let drop = Maildrop(try inv.list(0), deleted: try inv.list(1))
            guard let n = Maildrop.number(try inv.value(2)) else { return .value(false) }
            return .value(.bool(drop.usable(n)))
        },
        Primitive(
            "pop3.message", .function, [.init("mailbox", .list), .init("number", .any, nullable: false)], result: .map,
            "the message at that 1-based position"
        ) { inv throws(PrimitiveError) in
            let mails = try inv.list(0)
            let raw = try inv.value(1)
            guard let n = Maildrop.number(raw), n >= 1, n <= mails.count else {
                throw PrimitiveError(
                    "pop3.message: \(JSON.encode(raw)) is not a message number from 1 to \(mails.count)")
            }
            return .value(mails[n - 1])
        },
        Primitive(
            "pop3.expunge", .action, [.init("mailbox", .list, passing: .path), .init("deleted", .list)],
            "remove the messages with those 1-based numbers from the list at the path"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let doomed = Maildrop([], deleted: try inv.list(1)).deleted
            let name = inv.pathText(0)
            let removed: Int = try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) -> Int in
                switch v {
                case .null: return 0
                case .list(let l):
                    v = .null
                    let kept = l.enumerated().filter { !doomed.contains($0.offset + 1) }.map(\.element)
                    v = .list(kept)
                    return l.count - kept.count
                default: throw PrimitiveError("pop3.expunge: \(name) holds a \(v.typeName), not a list")
                }
            }
            inv.effect(["expunge": .string(name), "removed": .int(removed)])
            return .none
        },
    ]
}
