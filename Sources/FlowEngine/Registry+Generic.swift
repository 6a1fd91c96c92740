import FlowchartModel
import Foundation

extension Registry {
    /// The generic predicates and actions of `CONVENTIONS.md`, with the transport's `tcp.*`.
    public static var generic: Registry {
        var r = Registry()
        r.register(Registry.genericPredicates + Registry.genericActions + Registry.tcpPrimitives)
        return r
    }

    static let genericPredicates: [Primitive] = [
        Primitive(
            "eq", .predicate, [.init("a", .any), .init("b", .any)], result: .bool,
            "a equals b (numbers by value; null equals null)", builtin: .eq
        ) { inv throws(PrimitiveError) in
            .value(.bool(try inv.value(0).looselyEquals(inv.value(1))))
        },
        Primitive(
            "ne", .predicate, [.init("a", .any), .init("b", .any)], result: .bool, "a differs from b", builtin: .ne
        ) { inv throws(PrimitiveError) in
            .value(.bool(!(try inv.value(0).looselyEquals(inv.value(1)))))
        },
        compare("lt", "a is less than b (numbers or strings; false with a null)") { $0 < 0 },
        compare("le", "a is less than or equal to b") { $0 <= 0 },
        compare("gt", "a is greater than b") { $0 > 0 },
        compare("ge", "a is greater than or equal to b") { $0 >= 0 },
        Primitive(
            "in", .predicate, [.init("a", .any), .init("list", .any)], result: .bool,
            "a is an element of the list (or a key of the map)", builtin: .`in`
        ) { inv throws(PrimitiveError) in
            let a = try inv.value(0)
            return .value(.bool(Registry.isMember(a, of: try inv.value(1))))
        },
        Primitive(
            "exists", .predicate, [.init("value", .any)], result: .bool,
            "the path holds a value (not null or missing); exists(session) tells whether a session is bound",
            builtin: .exists
        ) { inv throws(PrimitiveError) in
            .value(.bool(!(try inv.value(0).isNull)))
        },
        Primitive(
            "nonempty", .predicate, [.init("value", .any)], result: .bool,
            "the path holds something other than null, \"\", [] or {}"
        ) { inv throws(PrimitiveError) in
            let v = try inv.value(0)
            switch v {
            case .null: return .value(false)
            case .string(let s): return .value(.bool(!s.isEmpty))
            case .list(let l): return .value(.bool(!l.isEmpty))
            case .map(let m): return .value(.bool(!m.isEmpty))
            default: return .value(true)
            }
        },
        Primitive(
            "matches", .predicate, [.init("text", .any), .init("pattern", .string, nullable: false)], result: .bool,
            "the regular expression (ICU syntax) matches somewhere in the text"
        ) { inv throws(PrimitiveError) in
            let text = try inv.value(0)
            guard !text.isNull else { return .value(false) }
            let pattern = try inv.string(1)
            return .value(.bool(try RegexCache.shared.matches(text.text, pattern)))
        },
        Primitive(
            "not", .predicate, [.init("p", .bool, passing: .predicate)], result: .bool, "the predicate is false",
            builtin: .not
        ) { inv throws(PrimitiveError) in
            .value(.bool(!(try inv.test(0))))
        },
        Primitive(
            "all", .predicate, [.init("p", .bool, passing: .predicate, variadic: true)], result: .bool,
            "every predicate is true (left to right, stopping at the first false)", builtin: .all
        ) { inv throws(PrimitiveError) in
            for j in 0..<inv.count(0) where !(try inv.test(0, j)) { return .value(false) }
            return .value(true)
        },
        Primitive(
            "any", .predicate, [.init("p", .bool, passing: .predicate, variadic: true)], result: .bool,
            "some predicate is true (left to right, stopping at the first true)", builtin: .any
        ) { inv throws(PrimitiveError) in
            for j in 0..<inv.count(0) where try inv.test(0, j) { return .value(true) }
            return .value(false)
        },
        Primitive(
            "find", .predicate, [.init("list", .list, passing: .path), .init("where", .map, nullable: false)],
            result: .map,
            "an element of the list has all the given field values; 'as' binds the first such element itself"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let want = try inv.map(1)
            guard case .list(let items) = inv.read(loc) else { return .value(.null) }
            for (i, item) in items.enumerated() where Registry.fieldsMatch(item, want) {
                return try inv.element(ofList: 0, at: i)
            }
            return .value(.null)
        },
    ]

    static let genericActions: [Primitive] = [
        Primitive(
            "set", .action, [.init("path", .any, passing: .path), .init("value", .any)],
            "store the value at the path, creating missing maps on the way"
        ) { inv throws(PrimitiveError) in
            let value = try inv.value(1)
            try inv.assign(0, value)
            inv.effect(["set": .string(inv.pathText(0)), "value": value])
            return .none
        },
        Primitive("unset", .action, [.init("path", .any, passing: .path)], "remove the value at the path") {
            inv throws(PrimitiveError) in
            try inv.unset(0)
            inv.effect(["unset": .string(inv.pathText(0))])
            return .none
        },
        Primitive(
            "append", .action, [.init("path", .list, passing: .path), .init("value", .any)],
            "add the value at the end of the list at the path (a missing list is created)"
        ) { inv throws(PrimitiveError) in
            try inv.append([try inv.value(1)], toListAt: 0)
            return .none
        },
        Primitive(
            "remove", .action, [.init("path", .list, passing: .path), .init("where", .map, nullable: false)],
            "remove every element of the list whose named fields all equal the given values"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let want = try inv.map(1)
            let name = inv.pathText(0)
            let removed: Int = try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) -> Int in
                switch v {
                case .null: return 0
                case .list(var l):
                    v = .null
                    let before = l.count
                    l.removeAll { Registry.fieldsMatch($0, want) }
                    v = .list(l)
                    return before - l.count
                default: throw PrimitiveError("remove: \(name) holds a \(v.typeName), not a list")
                }
            }
            inv.effect(["remove": .string(name), "where": .map(want), "removed": .int(removed)])
            return .none
        },
        Primitive(
            "incr", .action,
            [.init("path", .number, passing: .path), .init("by", .number, nullable: false, default: 1)],
            "add a number to the number at the path (a missing value counts as 0)"
        ) { inv throws(PrimitiveError) in
            let loc = try inv.location(0)
            let by = try inv.value(1)
            guard by.number != nil else { throw PrimitiveError("incr: 'by' must be a number, not \(JSON.encode(by))") }
            let name = inv.pathText(0)
            let result: Value = try inv.modify(loc) { (v: inout Value) throws(PrimitiveError) -> Value in
                switch (v, by) {
                case (.null, _): v = by
                case (.int(let a), .int(let b)):
                    // A sum past the 64-bit range goes on as a double, as the numbers of JSON do.
                    let (sum, overflow) = a.addingReportingOverflow(b)
                    v = overflow ? .double(Double(a) + Double(b)) : .int(sum)
                case (.int, .double), (.double, .int), (.double, .double):
                    let sum = v.number! + by.number!
                    guard sum.isFinite else {
                        throw PrimitiveError("incr: \(name) plus \(JSON.encode(by)) is beyond the largest number")
                    }
                    v = .double(sum)
                default: throw PrimitiveError("incr: \(name) holds the \(v.typeName) \(JSON.encode(v)), not a number")
                }
                return v
            }
            inv.effect(["set": .string(name), "value": result])
            return .none
        },
        Primitive(
            "send", .action,
            [
                .init("type", .string, nullable: false), .init("to", .string, nullable: false),
                .init("fields", .map, default: .map([:])),
            ], result: .map,
            "send a message of the type to \"ip:port\"; the engine adds type, protocol, addressing and transport"
        ) { inv throws(PrimitiveError) in
            .value(try inv.send(type: inv.string(0), to: inv.string(1), fields: inv.map(2)))
        },
        Primitive(
            "reply", .action, [.init("type", .string, nullable: false), .init("fields", .map, default: .map([:]))],
            result: .map,
            "answer the triggering packet: to its source, from the address and port it arrived on"
        ) { inv throws(PrimitiveError) in
            .value(try inv.reply(type: inv.string(0), fields: inv.map(1)))
        },
        Primitive(
            "start_timer", .action,
            [
                .init("name", .string, nullable: false), .init("seconds", .number, nullable: false),
                .init("value", .any, default: .null),
            ],
            "arm (or re-arm) the one-shot timer; its expiry run gets the value as event.value"
        ) { inv throws(PrimitiveError) in
            let seconds = try inv.number(1)
            guard seconds >= 0 else { throw PrimitiveError("start_timer: seconds must not be negative") }
            guard seconds.isFinite else { throw PrimitiveError("start_timer: seconds must be a finite number") }
            inv.startTimer(try inv.string(0), seconds: seconds, value: try inv.value(2))
            return .none
        },
        Primitive(
            "cancel_timer", .action, [.init("name", .string, nullable: false)],
            "disarm the timer (nothing happens when it is not running)"
        ) { inv throws(PrimitiveError) in
            inv.cancelTimer(try inv.string(0))
            return .none
        },
        Primitive(
            "signal", .action, [.init("name", .string, nullable: false), .init("value", .any, default: .null)],
            "raise the signal: every wait on that name wakes"
        ) { inv throws(PrimitiveError) in
            inv.signal(try inv.string(0), try inv.value(1))
            return .none
        },
        Primitive("report", .action, [.init("text", .any)], "show a line to the user (the device's console or window)")
        { inv throws(PrimitiveError) in
            inv.report(try inv.value(0).text)
            return .none
        },
        Primitive("log", .action, [.init("text", .any)], "write a line to the run's log") {
            inv throws(PrimitiveError) in
            inv.log(try inv.value(0).text)
            return .none
        },
        Primitive("new_id", .action, [], result: .any, "the next value of env.ids (deterministic ids)") {
            inv throws(PrimitiveError) in
            .value(try inv.takeNext(list: "ids", counter: "next_id", start: 1))
        },
        Primitive("new_port", .action, [], result: .int, "the next value of env.ports (deterministic ports)") {
            inv throws(PrimitiveError) in
            .value(try inv.takeNext(list: "ports", counter: "next_port", start: 49152))
        },
    ]

    static func compare(_ name: String, _ summary: String, _ accept: @escaping @Sendable (Int) -> Bool) -> Primitive {
        Primitive(name, .predicate, [.init("a", .any), .init("b", .any)], result: .bool, summary) {
            inv throws(PrimitiveError) in
            let a = try inv.value(0)
            let b = try inv.value(1)
            if let x = a.number, let y = b.number { return .value(.bool(accept(x < y ? -1 : x > y ? 1 : 0))) }
            if let x = a.string, let y = b.string { return .value(.bool(accept(x < y ? -1 : x > y ? 1 : 0))) }
            return .value(false)
        }
    }

    /// `in`: `a` is an element of the list, or a key of the map (a string, or a whole number's text).
    static func isMember(_ a: Value, of collection: Value) -> Bool {
        switch collection {
        case .list(let l): l.contains { $0.looselyEquals(a) }
        case .map(let m): a.string.map { m[$0] != nil } ?? a.int.map { m[String($0)] != nil } ?? false
        default: false
        }
    }

    /// True when `item` is a map whose fields named in `want` all equal the given values.
    public static func fieldsMatch(_ item: Value, _ want: [String: Value]) -> Bool {
        guard case .map(let m) = item else { return false }
        return want.allSatisfy { key, value in (m[key] ?? .null).looselyEquals(value) }
    }
}

extension Invocation {
    /// Takes the first element of `env.<list>`, or else counts up `env.<counter>` from `start`.
    func takeNext(list: String, counter: String, start: Int) throws(PrimitiveError) -> Value {
        let listPath = ContextPath("env.\(list)")
        let loc = try location(of: listPath)
        if let first = read(loc).list?.first {
            // Taken from the list in place: the context holds the only reference to it then.
            try modify(loc) { (v: inout Value) throws(PrimitiveError) in
                guard case .list(var items) = v else { return }
                v = .null
                items.removeFirst()
                v = .list(items)
            }
            return first
        }
        let counterLoc = try location(of: ContextPath("env.\(counter)"))
        let next = read(counterLoc).int ?? start
        let (after, overflow) = next.addingReportingOverflow(1)
        guard !overflow else {
            throw PrimitiveError("env.\(counter) is \(next), the largest whole number; there is no next one")
        }
        try write(counterLoc, .int(after))
        return .int(next)
    }
}

/// Compiled regular expressions, shared by every run. A pattern that is plain text (with a
/// leading `^` at most) is matched without the regular-expression engine or the lock.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private var cache: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    func matches(_ text: String, _ pattern: String) throws(PrimitiveError) -> Bool {
        if let literal = LiteralPattern(pattern) { return literal.matches(text) }
        lock.lock()
        defer { lock.unlock() }
        let regex: NSRegularExpression
        if let cached = cache[pattern] {
            regex = cached
        } else {
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw PrimitiveError("matches: \"\(pattern)\" is not a valid regular expression")
            }
            cache[pattern] = regex
        }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// A regular expression that is printable ASCII text without metacharacters, optionally after
/// `^`: it matches exactly where its bytes occur in the text's UTF-8 (at the start when
/// anchored), as the regular-expression engine would find them.
struct LiteralPattern: Sendable {
    let bytes: [UInt8]
    let anchored: Bool

    /// Nil when the pattern needs the regular-expression engine (the empty pattern too, which
    /// that engine refuses).
    init?(_ pattern: String) {
        var bytes = Array(pattern.utf8)
        anchored = bytes.first == UInt8(ascii: "^")
        if anchored { bytes.removeFirst() }
        guard !bytes.isEmpty, bytes.allSatisfy(LiteralPattern.isPlain) else { return nil }
        self.bytes = bytes
    }

    /// Printable ASCII that stands for itself outside a character class.
    static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "|"),
            UInt8(ascii: "?"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
            UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"):
            false
        default: byte >= 0x20 && byte < 0x7F
        }
    }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            if anchored { return haystack.starts(with: bytes) }
            guard haystack.count >= bytes.count else { return false }
            let first = bytes[0]
            var i = 0
            let last = haystack.count - bytes.count
            while i <= last {
                if haystack[i] == first, haystack[i..<(i + bytes.count)].elementsEqual(bytes) { return true }
                i += 1
            }
            return false
        }
    }
}
