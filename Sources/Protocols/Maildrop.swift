import FlowchartModel

/// A POP3 maildrop: a list of stored mails, numbered from 1, with the numbers marked deleted
/// in the session (RFC 1939 §5).
struct Maildrop {
    let mails: [Value]
    let deleted: Set<Int>

    init(_ mails: [Value], deleted: [Value]) {
        self.mails = mails
        self.deleted = Set(deleted.compactMap(Maildrop.number))
    }

    /// A message number given as an int or as decimal text; nil for anything else.
    static func number(_ v: Value) -> Int? {
        if let n = v.int { return n }
        if let s = v.string {
            var t = Substring(s)
            while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
            while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
            guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(t)
        }
        return nil
    }

    /// The size of a mail: its `size` field, else the length of its body in code points (as
    /// `smtp.deliver_local` counts it).
    static func size(_ mail: Value) -> Int {
        if let s = mail["size"].int { return s }
        return mail["body"].isNull ? 0 : mail["body"].text.unicodeScalars.count
    }

    /// The number names a message of the list that is not marked deleted.
    func usable(_ n: Int) -> Bool { n >= 1 && n <= mails.count && !deleted.contains(n) }

    /// `{count, size, list}` of the messages not marked deleted.
    var stat: Value {
        var count = 0
        var total = 0
        var list: [Value] = []
        for (i, mail) in mails.enumerated() where !deleted.contains(i + 1) {
            let s = Maildrop.size(mail)
            count += 1
            total += s
            list.append(.map(["number": .int(i + 1), "size": .int(s)]))
        }
        return .map(["count": .int(count), "size": .int(total), "list": .list(list)])
    }

    /// The first whole number in the text (0 when there is none).
    static func firstNumber(_ text: String) -> Int {
        var digits = ""
        for ch in text {
            if ch.isASCII, ch.isNumber { digits.append(ch) } else if !digits.isEmpty { break }
        }
        guard !digits.isEmpty else { return 0 }
        return Int(digits) ?? Int.max
    }
}
