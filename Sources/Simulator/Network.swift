import FlowchartModel
import Protocols

/// Addresses as the network model reads them from `device.interfaces` (SIMULATION.md "The network").
enum Addr {
    static let broadcast = "255.255.255.255"

    /// A dotted quad as a number: four parts of one to three ASCII digits, each at most 255 (the
    /// text `IPv4.parse` accepts), read from the UTF-8 bytes without splitting the string.
    static func v4(_ s: String?) -> UInt32? {
        guard var s else { return nil }
        return s.withUTF8 { bytes -> UInt32? in
            var out: UInt32 = 0
            var octet: UInt32 = 0
            var digits = 0
            var parts = 0
            for b in bytes {
                if b == UInt8(ascii: ".") {
                    guard digits > 0, parts < 3 else { return nil }
                    out = out << 8 | octet
                    parts += 1
                    octet = 0
                    digits = 0
                } else {
                    guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < 3 else { return nil }
                    octet = octet * 10 + UInt32(b - UInt8(ascii: "0"))
                    guard octet <= 255 else { return nil }
                    digits += 1
                }
            }
            guard digits > 0, parts == 3 else { return nil }
            return out << 8 | octet
        }
    }

    static func isV6(_ s: String) -> Bool { s.contains(":") }

    static func isMulticastV6(_ s: String) -> Bool { s.lowercased().hasPrefix("ff") && isV6(s) }

    /// Same IPv6 address whatever its spelling.
    static func sameV6(_ a: String, _ b: String) -> Bool {
        guard let x = IPv6.parse(a), let y = IPv6.parse(b) else { return a == b }
        return x == y
    }

    /// Whether the interface holds the address (IPv4, its link-local or another IPv6 address).
    static func holds(_ iface: Value, _ address: String) -> Bool {
        if isV6(address) {
            if let ll = iface["link_local"].string, sameV6(ll, address) { return true }
            return (iface["ipv6_addrs"].list ?? []).contains { $0["addr"].string.map { sameV6($0, address) } ?? false }
        }
        guard let a = v4(address), a != 0 else { return false }
        return v4(iface["ip"].string) == a
    }

    /// Every address of a device's interfaces (`device.own_addrs`).
    static func ownAddresses(_ device: Value) -> [Value] {
        var out: [Value] = []
        for iface in device["interfaces"].list ?? [] {
            if let ip = iface["ip"].string, let a = v4(ip), a != 0 { out.append(.string(ip)) }
            if let ll = iface["link_local"].string, !ll.isEmpty { out.append(.string(ll)) }
            for entry in iface["ipv6_addrs"].list ?? [] {
                if let a = entry["addr"].string, !out.contains(.string(a)) { out.append(.string(a)) }
            }
        }
        return out
    }

    /// `ip:port`, or `[v6]:port`.
    static func endpoint(_ ip: String, _ port: Value) -> String {
        isV6(ip) ? "[\(ip)]:\(port.text)" : "\(ip):\(port.text)"
    }
}
