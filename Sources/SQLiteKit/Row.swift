/// One result row: values by column name or index.
public struct Row: Sendable, Hashable {
    public let names: [String]
    public let values: [SQLValue]

    public subscript(_ index: Int) -> SQLValue { values[index] }

    public subscript(_ name: String) -> SQLValue {
        guard let i = names.firstIndex(of: name) else { return .null }
        return values[i]
    }

    /// A column as text (numbers are printed), or "" for null.
    public func text(_ name: String) -> String {
        switch self[name] {
        case .text(let s): s
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .null, .blob: ""
        }
    }

    /// A column as an integer, or 0.
    public func int(_ name: String) -> Int {
        switch self[name] {
        case .integer(let i): Int(i)
        case .real(let d): Int(d)
        case .text(let s): Int(s) ?? 0
        default: 0
        }
    }

    /// A column as text, or nil for null.
    public func optionalText(_ name: String) -> String? {
        if case .null = self[name] { return nil }
        return text(name)
    }
}
