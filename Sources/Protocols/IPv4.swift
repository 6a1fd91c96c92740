/// IPv4 address arithmetic for the protocol primitives.
public enum IPv4 {
    /// Parses dotted-quad text (`"192.168.1.10"`) into a 32-bit number: four parts of one to
    /// three ASCII digits, each at most 255, read byte by byte (the simulator parses every
    /// address of every delivery).
    public static func parse(_ text: String) -> UInt32? {
        var text = text
        return text.withUTF8 { bytes -> UInt32? in
            var out: UInt32 = 0
            var octet: UInt32 = 0
            var digits = 0
            var dots = 0
            for byte in bytes {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, dots < 3 else { return nil }
                    out = out << 8 | octet
                    dots += 1
                    octet = 0
                    digits = 0
                } else {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
                    octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                    digits += 1
                }
                guard octet <= 255 else { return nil }
            }
            guard digits > 0, dots == 3 else { return nil }
            return out << 8 | octet
        }
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
