/// The one pattern for the names a chart is known by: its id, protocol, role and trigger (and so
/// the bindings made of them). A name is one or more dot-separated parts of lower-case letters,
/// digits, `_`, `+` and `-`, the first part starting with a letter or digit:
/// `^[a-z0-9][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$`, at most `maxLength` bytes. So a name is never a
/// file path (`/`, `..`, a leading dot), and holds no space, control character or NUL.
public enum ChartName {
    /// The pattern, as a regular expression, for documentation and messages.
    public static let pattern = #"^[a-z0-9][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$"#
    /// The longest name accepted, in bytes.
    public static let maxLength = 200

    /// True when `name` fits the pattern.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isLetterOrDigit(first) else { return false }
        var partIsEmpty = false
        for b in bytes.dropFirst() {
            if b == UInt8(ascii: ".") {
                if partIsEmpty { return false }
                partIsEmpty = true
            } else if isLetterOrDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                partIsEmpty = false
            } else {
                return false
            }
        }
        return !partIsEmpty
    }

    /// Throws when `name` does not fit the pattern; `role` says what the name is (`chart id`,
    /// `protocol`, `role`, `trigger`).
    public static func check(_ name: String, as role: String) throws(ChartNameError) {
        guard isValid(name) else { throw ChartNameError(role: role, name: name) }
    }

    private static func isLetterOrDigit(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}

/// A chart id, protocol, role or trigger that does not fit `ChartName.pattern`.
public struct ChartNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the name is: `chart id`, `protocol`, `role` or `trigger`.
    public let role: String
    /// The name as given.
    public let name: String

    public var description: String {
        var shown = ""
        JSON.quote(name.count > 60 ? String(name.prefix(60)) + "..." : name, into: &shown)
        return "the \(role) \(shown) is not a valid name: lower-case letters, digits, '_', '+' and '-' in parts "
            + "separated by single dots, starting with a letter or digit (\(ChartName.pattern)), at most \(ChartName.maxLength) bytes"
    }
}

extension Chart {
    /// Checks the chart's id, protocol, role and trigger against `ChartName.pattern`.
    public func checkNames() throws(ChartNameError) {
        try ChartName.check(id, as: "chart id")
        try ChartName.check(protocolName, as: "protocol")
        try ChartName.check(role, as: "role")
        try ChartName.check(trigger, as: "trigger")
    }
}
