/// A dial-peer `destination-pattern` as `spec/voip.md` reads it: literal keys (`0`–`9`, `*`, `#`),
/// `.` for any one key, `[...]` for one key out of digits and digit ranges (`[2-5]`, `[135]`,
/// `[1-35-7]`), and an optional trailing `T` that matches any remaining keys (none or more).
struct DialPattern: Sendable, Hashable {
    enum Position: Sendable, Hashable {
        case literal(Character)
        case any
        case oneOf(Set<Character>)

        func matches(_ key: Character) -> Bool {
            switch self {
            case .literal(let c): c == key
            case .any: DialPattern.keys.contains(key)
            case .oneOf(let set): set.contains(key)
            }
        }
    }

    /// The keys a phone's keypad sends.
    static let keys: Set<Character> = Set("0123456789*#")

    let positions: [Position]
    /// A trailing `T`: any number of further keys may follow.
    let variable: Bool

    /// Parses a pattern; nil when it holds anything else (an unclosed bracket, a letter, a `T`
    /// that is not last, an empty pattern).
    init?(_ text: String) {
        var positions: [Position] = []
        var variable = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if variable { return nil }
            switch c {
            case "0"..."9", "*", "#": positions.append(.literal(c))
            case ".": positions.append(.any)
            case "T", "t": variable = true
            case "[":
                var set = Set<Character>()
                var body: [Character] = []
                var closed = false
                while let d = chars.popFirst() {
                    if d == "]" {
                        closed = true
                        break
                    }
                    body.append(d)
                }
                guard closed, !body.isEmpty else { return nil }
                var i = 0
                while i < body.count {
                    let lo = body[i]
                    guard lo.isASCII, lo.isNumber else { return nil }
                    if i + 2 < body.count, body[i + 1] == "-" {
                        let hi = body[i + 2]
                        guard hi.isASCII, hi.isNumber, let l = lo.wholeNumberValue, let h = hi.wholeNumberValue, l <= h
                        else { return nil }
                        for n in l...h { set.insert(Character(String(n))) }
                        i += 3
                    } else {
                        set.insert(lo)
                        i += 1
                    }
                }
                positions.append(.oneOf(set))
            default: return nil
            }
        }
        guard !positions.isEmpty || variable else { return nil }
        self.positions = positions
        self.variable = variable
    }

    /// How many literal (non-wildcard) keys the pattern holds: the explicitness of a match.
    var literalCount: Int {
        positions.reduce(0) { n, p in if case .literal = p { n + 1 } else { n } }
    }

    /// The pattern matches all of `digits`: same length position by position, or with a trailing
    /// `T` at least the fixed positions followed by anything.
    func matchesAll(_ digits: String) -> Bool {
        let keys = Array(digits)
        guard variable ? keys.count >= positions.count : keys.count == positions.count else { return false }
        return zip(positions, keys).allSatisfy { $0.matches($1) }
    }

    /// Some key string longer than `digits` that starts with `digits` matches the pattern.
    func couldExtend(_ digits: String) -> Bool {
        let keys = Array(digits)
        guard variable || positions.count > keys.count else { return false }
        return zip(positions, keys).allSatisfy { $0.matches($1) }
    }
}
