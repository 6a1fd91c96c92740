/// A syntax error in the call notation, with its position inside the text that was parsed.
public struct NotationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line within the parsed text.
    public let line: Int
    /// 1-based column within the parsed text.
    public let column: Int
    /// What is wrong, in a plain sentence.
    public let reason: String
    public var description: String { "line \(line), column \(column): \(reason)" }
}

/// Reads the call notation of `CONVENTIONS.md`: literals, paths, templates, calls with `as`.
struct NotationParser {
    let bytes: [UInt8]
    var pos: Int
    /// How many lists, maps, calls and computed keys enclose the current position.
    var depth = 0
    /// How deep lists, maps, calls and computed keys may nest.
    static let maxDepth = 128

    init(_ text: String) {
        bytes = Array(text.utf8)
        pos = 0
    }

    // MARK: Positions and errors

    func error(_ reason: String, at offset: Int? = nil) -> NotationError {
        let end = min(offset ?? pos, bytes.count)
        var line = 1
        var column = 1
        for b in bytes[..<end] {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return NotationError(line: line, column: column, reason: reason)
    }

    var atEnd: Bool { pos >= bytes.count }

    mutating func skipSpace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    func peekByte() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    /// Skips space, then consumes `c` if it comes next.
    mutating func accept(_ c: Character) -> Bool {
        skipSpace()
        if let b = peekByte(), b == c.asciiValue! {
            pos += 1
            return true
        }
        return false
    }

    mutating func expect(_ c: Character, _ what: String) throws(NotationError) {
        guard accept(c) else { throw error("expected \(what)") }
    }

    mutating func expectEnd() throws(NotationError) {
        skipSpace()
        if !atEnd {
            throw error("unexpected text '\(String(decoding: bytes[pos..<min(pos + 20, bytes.count)], as: UTF8.self))'")
        }
    }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }
    static func isIdentChar(_ b: UInt8) -> Bool { isIdentStart(b) || (b >= 0x30 && b <= 0x39) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Reads an identifier (letters, digits, `_`), or nil without moving.
    mutating func identifier() -> String? {
        skipSpace()
        guard let b = peekByte(), NotationParser.isIdentStart(b) else { return nil }
        let start = pos
        while let c = peekByte(), NotationParser.isIdentChar(c) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// True when the next identifier is `word` (not consumed).
    func nextWordIs(_ word: String) -> Bool {
        var copy = self
        return copy.identifier() == word
    }

    /// Enters one more level of nesting; fails past `maxDepth`. Balanced by `depth -= 1`.
    mutating func descend() throws(NotationError) {
        depth += 1
        guard depth <= NotationParser.maxDepth else {
            throw error("lists, maps, calls and computed keys nest deeper than \(NotationParser.maxDepth) levels")
        }
    }

    // MARK: Expressions

    mutating func expression() throws(NotationError) -> Expr {
        try descend()
        defer { depth -= 1 }
        skipSpace()
        guard let b = peekByte() else { throw error("expected a value") }
        switch b {
        case UInt8(ascii: "\""): return try stringExpr()
        case UInt8(ascii: "["):
            pos += 1
            var items: [Expr] = []
            if accept("]") { return .list(items) }
            repeat { items.append(try expression()) } while accept(",")
            try expect("]", "',' or ']' in a list")
            return .list(items)
        case UInt8(ascii: "{"):
            return .map(try mapEntries())
        case UInt8(ascii: "-"), 0x30...0x39:
            return .literal(try number())
        default:
            guard NotationParser.isIdentStart(b) else {
                throw error("unexpected character '\(String(decoding: [b], as: UTF8.self))'")
            }
            let start = pos
            let first = identifier()!
            switch first {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: break
            }
            // A dotted name followed by '(' is a call; anything else is a path.
            var name = first
            while peekByte() == UInt8(ascii: "."), pos + 1 < bytes.count, NotationParser.isIdentStart(bytes[pos + 1]) {
                pos += 1
                name += "." + identifier()!
            }
            skipSpace()
            if peekByte() == UInt8(ascii: "(") { return .call(try callRest(name: name)) }
            pos = start
            return .path(try path())
        }
    }

    /// `{key: value, ...}` starting at `{`.
    mutating func mapEntries() throws(NotationError) -> [MapEntry] {
        try expect("{", "'{'")
        var entries: [MapEntry] = []
        if accept("}") { return entries }
        repeat {
            skipSpace()
            let key: String
            if peekByte() == UInt8(ascii: "\"") {
                key = try rawString()
            } else if let id = identifier() {
                key = id
            } else if let b = peekByte(), NotationParser.isDigit(b) {
                let start = pos
                while let c = peekByte(), NotationParser.isDigit(c) { pos += 1 }
                key = String(decoding: bytes[start..<pos], as: UTF8.self)
            } else {
                throw error("expected a key in a map")
            }
            try expect(":", "':' after the key '\(key)'")
            if entries.contains(where: { $0.key == key }) { throw error("the key '\(key)' appears twice in a map") }
            entries.append(MapEntry(key: key, value: try expression()))
        } while accept(",")
        try expect("}", "',' or '}' in a map")
        return entries
    }

    mutating func number() throws(NotationError) -> Value {
        let start = pos
        if peekByte() == UInt8(ascii: "-") { pos += 1 }
        var isDouble = false
        while let b = peekByte() {
            if NotationParser.isDigit(b) {
                pos += 1
            } else if b == UInt8(ascii: "."), pos + 1 < bytes.count, NotationParser.isDigit(bytes[pos + 1]) {
                isDouble = true
                pos += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isDouble, let i = Int(text) { return .int(i) }
        if isDouble, let d = Double(text) { return .double(d) }
        throw error("malformed number '\(text)'", at: start)
    }

    /// A quoted string with `\"`, `\\`, `\n`, `\t` escapes, returned without interpretation of braces.
    mutating func rawString() throws(NotationError) -> String {
        skipSpace()
        let start = pos
        guard peekByte() == UInt8(ascii: "\"") else { throw error("expected a quoted string") }
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let b = peekByte() else { throw error("unterminated string", at: start) }
            pos += 1
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                guard let e = peekByte() else { throw error("unterminated string", at: start) }
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
                default:
                    out.append(0x5C)
                    out.append(e)  // kept as written, e.g. regex escapes
                }
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A string literal, turned into a template when it holds `{path}` placeholders.
    mutating func stringExpr() throws(NotationError) -> Expr {
        let text = try rawString()
        return NotationParser.template(text)
    }

    /// Splits `text` into literal text and `{path}` placeholders. `{{` is a literal brace; a brace
    /// whose content is not a path stays literal text (so regular expressions keep `{1,3}`).
    static func template(_ text: String) -> Expr {
        guard text.contains("{") else { return .literal(.string(text)) }
        var parts: [TemplatePart] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let after = rest.index(after: open)
            if after < rest.endIndex, rest[after] == "{" {
                literal += "{"
                rest = rest[rest.index(after: after)...]
                continue
            }
            if let close = placeholderEnd(rest[after...]), let path = try? Path.parse(String(rest[after..<close])) {
                if !literal.isEmpty {
                    parts.append(.text(literal))
                    literal = ""
                }
                parts.append(.path(path))
                rest = rest[rest.index(after: close)...]
            } else {
                literal += "{"
                rest = rest[after...]
            }
        }
        literal += rest
        if !literal.isEmpty { parts.append(.text(literal)) }
        if parts.count == 1, case .text(let t) = parts[0] { return .literal(.string(t)) }
        if parts.isEmpty { return .literal(.string("")) }
        return .template(parts)
    }

    /// The first `}` after a placeholder's `{`, or nil when the placeholder cannot be a path: an
    /// unquoted `{` comes first (no path holds one), or no `}` follows. Each brace of a template
    /// is looked at a bounded number of times, so templates are read in linear time.
    static func placeholderEnd(_ text: Substring) -> Substring.Index? {
        var inQuote = false
        var escaped = false
        for i in text.indices {
            let c = text[i]
            if c == "}" { return i }
            if inQuote {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inQuote = false
                }
            } else if c == "\"" {
                inQuote = true
            } else if c == "{" {
                return nil
            }
        }
        return nil
    }

    // MARK: Paths

    mutating func path() throws(NotationError) -> Path {
        guard let root = identifier() else { throw error("expected a context path") }
        var segments: [PathSegment] = []
        while let b = peekByte() {
            if b == UInt8(ascii: ".") {
                pos += 1
                if let id = identifier() {
                    segments.append(.key(id))
                } else if let d = peekByte(), NotationParser.isDigit(d) {
                    let start = pos
                    while let c = peekByte(), NotationParser.isDigit(c) { pos += 1 }
                    segments.append(.key(String(decoding: bytes[start..<pos], as: UTF8.self)))
                } else {
                    throw error("expected a name after '.'")
                }
            } else if b == UInt8(ascii: "[") {
                pos += 1
                skipSpace()
                guard let c = peekByte() else { throw error("unterminated '['") }
                if c == UInt8(ascii: "\"") {
                    segments.append(.key(try rawString()))
                } else if NotationParser.isDigit(c) {
                    guard case .int(let i) = try number() else { throw error("a list index must be a whole number") }
                    segments.append(.index(i))
                } else {
                    try descend()
                    defer { depth -= 1 }
                    segments.append(.computed(try path()))
                }
                try expect("]", "']'")
            } else {
                break
            }
            guard segments.count <= Path.maxSegments else {
                throw error("the path has more than \(Path.maxSegments) segments")
            }
        }
        return Path(root: root, segments: segments)
    }

    // MARK: Calls

    /// The rest of a call after its name: `(args) [as path]`.
    mutating func callRest(name: String) throws(NotationError) -> Call {
        try expect("(", "'(' after '\(name)'")
        var arguments: [CallArgument] = []
        if !accept(")") {
            repeat {
                skipSpace()
                var label: String?
                let save = pos
                if let id = identifier() {
                    skipSpace()
                    if peekByte() == UInt8(ascii: ":") {
                        pos += 1
                        label = id
                    } else {
                        pos = save
                    }
                }
                if label == nil, let last = arguments.last, last.label != nil {
                    throw error("a positional argument cannot follow a labelled one")
                }
                if let label, arguments.contains(where: { $0.label == label }) {
                    throw error("the argument '\(label)' is given twice")
                }
                arguments.append(CallArgument(label: label, value: try expression()))
            } while accept(",")
            try expect(")", "',' or ')' in the arguments of '\(name)'")
        }
        var result: Path?
        if nextWordIs("as") {
            _ = identifier()
            skipSpace()
            result = try path()
        }
        return Call(name: name, arguments: arguments, result: result)
    }

    /// A call written on its own: `name(args) [as path]`.
    mutating func call() throws(NotationError) -> Call {
        skipSpace()
        let start = pos
        guard case .call(let call) = try expression() else {
            throw error("expected a call such as eq(a, b)", at: start)
        }
        return call
    }
}
