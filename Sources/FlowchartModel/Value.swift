/// A JSON-like value: what every context path holds and every literal denotes.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case map([String: Value])

    /// Truthiness as the conventions define it: null, false, 0, "", [] and {} are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .map(let m): !m.isEmpty
        }
    }

    /// True for null.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The numeric value of an int or double.
    public var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The string payload, if this is a string.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The list payload, if this is a list.
    public var list: [Value]? { if case .list(let l) = self { l } else { nil } }
    /// The map payload, if this is a map.
    public var map: [String: Value]? { if case .map(let m) = self { m } else { nil } }
    /// The int payload, or a double that is whole.
    public var int: Int? {
        switch self {
        case .int(let i): i
        case .double(let d): try? Int(checking: d, "a number")
        default: nil
        }
    }

    /// How deeply lists and maps nest in the value: 0 for a scalar, 1 for `[1]` or `{}`, 2 for
    /// `[[1]]`. Walks the value without recursion; stops counting once `limit` is passed.
    public func nestingDepth(limit: Int = .max) -> Int {
        guard isContainer else { return 0 }
        var deepest = 0
        var pending: [(value: Value, depth: Int)] = [(self, 1)]
        while let (value, depth) = pending.popLast() {
            deepest = max(deepest, depth)
            if deepest > limit { return deepest }
            switch value {
            case .list(let items): for item in items where item.isContainer { pending.append((item, depth + 1)) }
            case .map(let entries):
                for item in entries.values where item.isContainer { pending.append((item, depth + 1)) }
            default: break
            }
        }
        return deepest
    }

    /// True for a list or a map.
    var isContainer: Bool {
        switch self {
        case .list, .map: true
        default: false
        }
    }

    /// The name of the value's type, for messages: `null`, `bool`, `int`, `number`, `string`, `list`, `map`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "number"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        }
    }

    /// The value's text as a template prints it: whole numbers without `.0`, null as nothing,
    /// lists and maps as compact JSON.
    public var text: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): Value.format(d)
        case .string(let s): s
        case .list, .map: JSON.encode(self)
        }
    }

    /// Prints a double the way JSON and templates show it.
    static func format(_ d: Double) -> String {
        if abs(d) <= exactIntegerLimit, let i = try? Int(checking: d, "a number") { return String(i) }
        return "\(d)"
    }

    /// Member of a map by key (null when absent or not a map).
    public subscript(key: String) -> Value {
        if case .map(let m) = self { return m[key] ?? .null }
        return .null
    }

    /// Element of a list by index (null when out of range or not a list).
    public subscript(index: Int) -> Value {
        if case .list(let l) = self, l.indices.contains(index) { return l[index] }
        return .null
    }

    /// Equality as `eq` sees it: numbers compare by value whatever their representation.
    public func looselyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return number == other.number
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.looselyEquals($1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { key, v in b[key].map { v.looselyEquals($0) } ?? false }
        default: return self == other
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
