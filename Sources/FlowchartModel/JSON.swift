/// A small, exact JSON reader and writer for `Value`: integers stay integers, and errors carry a
/// line and column.
public enum JSON {
    /// A JSON text that could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the problem.
        public let line: Int
        /// 1-based column of the problem.
        public let column: Int
        /// What is wrong, in a plain sentence.
        public let reason: String
        public var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// How deep arrays and objects may nest in a text `parse` reads.
    public static let maxDepth = 512
    /// How many levels `encode(pretty: true)` indents; deeper values are written on one line, so
    /// the output stays linear in the size of the value whatever its depth.
    public static let maxIndentDepth = 32

    /// Parses one JSON value (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(ParseError) -> Value {
        var reader = Reader(bytes: Array(text.utf8))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.pos < reader.bytes.count { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    /// Writes a value as JSON with sorted keys; `pretty` indents by two spaces.
    public static func encode(_ value: Value, pretty: Bool = false) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, indent: 0)
        return out
    }

    static func write(_ value: Value, into out: inout String, pretty: Bool, indent: Int) {
        let pretty = pretty && indent < maxIndentDepth
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? Value.format(d) : "null"
        case .string(let s): quote(s, into: &out)
        case .list(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += pretty ? "," : ", " }
                if pretty { newline(indent + 1, &out) }
                write(item, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent, &out) }
            out += "]"
        case .map(let entries):
            if entries.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, key) in entries.keys.sorted().enumerated() {
                if i > 0 { out += pretty ? "," : ", " }
                if pretty { newline(indent + 1, &out) }
                quote(key, into: &out)
                out += ": "
                write(entries[key]!, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent, &out) }
            out += "}"
        }
    }

    private static func newline(_ indent: Int, _ out: inout String) {
        out += "\n" + String(repeating: "  ", count: indent)
    }

    /// Appends `s` as a JSON string literal.
    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private struct Reader {
        let bytes: [UInt8]
        var pos = 0

        func error(_ reason: String) -> ParseError {
            var line = 1
            var column = 1
            for b in bytes[..<min(pos, bytes.count)] {
                if b == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return ParseError(line: line, column: column, reason: reason)
        }

        mutating func skipSpace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        mutating func expect(_ word: String, _ value: Value) throws(ParseError) -> Value {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
                throw error("unexpected character")
            }
            pos += w.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> Value {
            guard depth < JSON.maxDepth else {
                throw error("arrays and objects nest deeper than \(JSON.maxDepth) levels")
            }
            guard pos < bytes.count else { throw error("unexpected end of input") }
            switch bytes[pos] {
            case UInt8(ascii: "{"):
                pos += 1
                var map: [String: Value] = [:]
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    return .map(map)
                }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                        throw error("expected a quoted key")
                    }
                    let key = try string()
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                        throw error("expected ':' after a key")
                    }
                    pos += 1
                    skipSpace()
                    map[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of input in an object") }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    if bytes[pos] == UInt8(ascii: "}") {
                        pos += 1
                        return .map(map)
                    }
                    throw error("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                pos += 1
                var list: [Value] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .list(list)
                }
                while true {
                    skipSpace()
                    list.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of input in an array") }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    if bytes[pos] == UInt8(ascii: "]") {
                        pos += 1
                        return .list(list)
                    }
                    throw error("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            default: return try number()
            }
        }

        /// A number by RFC 8259 §6: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?.
        /// Integers that fit 64 bits stay ints; a number too large for a double is refused.
        mutating func number() throws(ParseError) -> Value {
            let start = pos
            func digits() -> Int {
                let from = pos
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                return pos - from
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else {
                throw error(pos == start ? "unexpected character" : "expected a digit after '-'")
            }
            if bytes[pos] == UInt8(ascii: "0") {
                pos += 1
                if pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                    throw error("a number cannot have a leading zero")
                }
            } else {
                _ = digits()
            }
            var isDouble = false
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                pos += 1
                guard digits() > 0 else { throw error("expected a digit after the decimal point") }
                isDouble = true
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                guard digits() > 0 else { throw error("expected a digit in the exponent") }
                isDouble = true
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            if !isDouble, let i = Int(text) { return .int(i) }
            guard let d = Double(text), d.isFinite else {
                pos = start
                throw error(
                    "the number \(text.count > 40 ? String(text.prefix(40)) + "..." : text) is too large for a double (not finite)"
                )
            }
            return .double(d)
        }

        mutating func string() throws(ParseError) -> String {
            pos += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw error("unterminated string") }
                let b = bytes[pos]
                pos += 1
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { throw error("control character in a string") }
                guard b == UInt8(ascii: "\\") else {
                    out.append(b)
                    continue
                }
                guard pos < bytes.count else { throw error("unterminated string") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                            bytes[pos + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired surrogate") }
                        pos += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error("invalid escape")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard pos + 4 <= bytes.count,
                let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16)
            else { throw error("invalid \\u escape") }
            pos += 4
            return v
        }
    }
}
