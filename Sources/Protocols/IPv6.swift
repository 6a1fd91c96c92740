/// IPv6 address arithmetic for the protocol primitives: RFC 4291 §2.2 text in, RFC 5952 text out.
public enum IPv6 {
    /// A 128-bit address as two 64-bit halves.
    public struct Address: Hashable, Sendable, Comparable {
        public var high: UInt64
        public var low: UInt64

        public init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        public static func < (a: Address, b: Address) -> Bool { (a.high, a.low) < (b.high, b.low) }

        /// The eight 16-bit groups, most significant first.
        public var groups: [UInt16] {
            (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
                + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
        }

        init(groups g: [UInt16]) {
            high = g[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
            low = g[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
        }

        /// The address with every bit after the first `length` cleared.
        public func masked(_ length: Int) -> Address {
            let l = max(0, min(128, length))
            func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
            return Address(high: high & mask(l), low: low & mask(l - 64))
        }

        /// The address plus `n`, or nil on overflow past the last address.
        public func adding(_ n: UInt64) -> Address? {
            let (low, carry) = low.addingReportingOverflow(n)
            if !carry { return Address(high: high, low: low) }
            let (high, over) = high.addingReportingOverflow(1)
            return over ? nil : Address(high: high, low: low)
        }
    }

    /// Parses RFC 4291 §2.2 text (`2001:db8::1`, `::ffff:192.0.2.1`; brackets and a zone index are
    /// accepted and ignored).
    public static func parse(_ text: String) -> Address? {
        var t = Substring(text)
        if t.hasPrefix("["), t.hasSuffix("]") { t = t.dropFirst().dropLast() }
        if let percent = t.firstIndex(of: "%") { t = t[..<percent] }
        guard t.contains(":") else { return nil }
        var halves: [String] = []
        var rest = t
        while let r = rest.firstRange(of: "::") {
            halves.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        halves.append(String(rest))
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (i, item) in items.enumerated() {
                if allowV4, i == items.count - 1, item.contains(".") {
                    guard let v4 = IPv4.parse(String(item)) else { return nil }
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard (1...4).contains(item.count), item.allSatisfy(\.isHexDigit), let g = UInt16(item, radix: 16)
                    else { return nil }
                    out.append(g)
                }
            }
            return out
        }
        if halves.count == 1 {
            guard let g = groups(halves[0], allowV4: true), g.count == 8 else { return nil }
            return Address(groups: g)
        }
        guard let left = groups(halves[0], allowV4: false), let right = groups(halves[1], allowV4: true),
            left.count + right.count <= 7
        else { return nil }
        return Address(groups: left + Array(repeating: 0, count: 8 - left.count - right.count) + right)
    }

    /// RFC 5952 §4 text: lower-case hex, no leading zeros, the longest run of two or more zero
    /// groups (the first of equal runs) written `::`.
    public static func format(_ address: Address) -> String {
        let g = address.groups
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8, g[j] == 0 { j += 1 }
                if j - i > bestLength, j - i >= 2 {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        let hex = g.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let left = hex[0..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }

    /// The RFC 5952 form of address text, or nil when it is not an IPv6 address.
    public static func canonical(_ text: String) -> String? { parse(text).map(format) }
}
