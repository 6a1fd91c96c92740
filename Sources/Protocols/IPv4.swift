/// IPv4 address arithmetic for the protocol primitives.
public enum IPv4 {
    /// Parses dotted-quad text (`"192.168.1.10"`) into a 32-bit number.
    public static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ ("0"..."9").contains($0) }), let octet = UInt32(part), octet <= 255 else { return nil }
            out = out << 8 | octet
        }
        return out
    }

    /// Formats a 32-bit number as dotted-quad text.
    public static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// The classful mask of an address (A: /8, B: /16, C and above: /24).
    public static func classfulMask(_ address: UInt32) -> UInt32 {
        switch address >> 24 {
        case 0..<128: 0xFF00_0000
        case 128..<192: 0xFFFF_0000
        default: 0xFFFF_FF00
        }
    }
}
