/// One result row: values by column name or 0-based index, raw (`row["id"]`) or typed
/// (`row.text("id")`, `row.int("revision")`). A name that is not a column reads as null.
public struct Row: Sendable, Hashable {
    /// The column names, in order.
    public let names: [String]
    /// The values, in column order.
    public let values: [SQLValue]

    /// A row of these columns (for tests and tools that build rows by hand).
    public init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    /// The value of a 0-based column.
    public subscript(_ index: Int) -> SQLValue { values.indices.contains(index) ? values[index] : .null }

    /// The value of the first column of that name, or null when there is none.
    public subscript(_ name: String) -> SQLValue {
        guard let i = names.firstIndex(of: name) else { return .null }
        return values[i]
    }

    // MARK: Typed, by name

    /// A column as text (numbers are printed), or "" for null.
    public func text(_ name: String) -> String { self[name].text ?? "" }
    /// A column as text, or nil for null.
    public func optionalText(_ name: String) -> String? { self[name] == .null ? nil : text(name) }
    /// A column as an integer (text is parsed), or 0.
    public func int(_ name: String) -> Int { Int(self[name].int64 ?? 0) }
    /// A column as an integer, or nil for null.
    public func optionalInt(_ name: String) -> Int? { self[name].int64.map { Int($0) } }
    /// A column as a 64-bit integer, or 0.
    public func int64(_ name: String) -> Int64 { self[name].int64 ?? 0 }
    /// A column as a floating-point number, or 0.
    public func double(_ name: String) -> Double { self[name].double ?? 0 }
    /// A column as a truth value: a non-zero number is true.
    public func bool(_ name: String) -> Bool { (self[name].int64 ?? 0) != 0 }
    /// A column's bytes (text as UTF-8), or none.
    public func blob(_ name: String) -> [UInt8] { self[name].bytes ?? [] }

    // MARK: Typed, by index

    /// A 0-based column as text, or "" for null.
    public func text(_ index: Int) -> String { self[index].text ?? "" }
    /// A 0-based column as an integer, or 0.
    public func int(_ index: Int) -> Int { Int(self[index].int64 ?? 0) }
    /// A 0-based column as a floating-point number, or 0.
    public func double(_ index: Int) -> Double { self[index].double ?? 0 }
}
