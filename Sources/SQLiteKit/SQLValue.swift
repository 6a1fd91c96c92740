/// A value as SQLite stores it: one of its five storage classes.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value as text: text itself, a number printed; nil for null and blobs.
    public var text: String? {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .null, .blob: nil
        }
    }

    /// The value as an integer: an integer, a real truncated toward zero (when it fits), text that
    /// reads as an integer; nil otherwise.
    public var int64: Int64? {
        switch self {
        case .integer(let i): i
        case .real(let d): Int64(exactly: d.rounded(.towardZero))
        case .text(let s): Int64(s)
        case .null, .blob: nil
        }
    }

    /// The value as a floating-point number: a number, or text that reads as one; nil otherwise.
    public var double: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        case .text(let s): Double(s)
        case .null, .blob: nil
        }
    }

    /// The value's bytes: a blob's, or text's UTF-8; nil otherwise.
    public var bytes: [UInt8]? {
        switch self {
        case .blob(let b): b
        case .text(let s): Array(s.utf8)
        default: nil
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    /// SQLite has no boolean: true is 1 and false is 0.
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
    public init(nilLiteral: ()) { self = .null }
}
