/// SNMP object identifiers as dotted text (`"1.3.6.1.2.1.1.5.0"`), compared numerically,
/// component by component (RFC 3416 lexicographic order: `1.3.6.1.2.1.1.10.0` sorts after `1.3.6.1.2.1.1.9.0`).
public struct OID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let components: [UInt64]

    /// Parses dotted decimal text; nil for anything else (empty, a leading dot, letters, ...).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var out: [UInt64] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 20, part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(part)
            else { return nil }
            out.append(n)
        }
        guard !out.isEmpty else { return nil }
        components = out
    }

    public var description: String { components.map(String.init).joined(separator: ".") }

    public static func < (a: OID, b: OID) -> Bool {
        for (x, y) in zip(a.components, b.components) where x != y { return x < y }
        return a.components.count < b.components.count
    }

    /// True when `self` equals `other` or is a prefix of it, on component boundaries.
    public func isPrefix(of other: OID) -> Bool {
        components.count <= other.components.count && Array(other.components.prefix(components.count)) == components
    }
}
