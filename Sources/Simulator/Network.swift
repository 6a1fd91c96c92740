import FlowchartModel
import Protocols

/// Addresses as the network model reads them from `device.interfaces` (SIMULATION.md "The network").
enum Addr {
    static let broadcast = "255.255.255.255"

    /// A dotted quad as a number (`IPv4.parse`), or nil for nil or any other text.
    static func v4(_ s: String?) -> UInt32? { s.flatMap(IPv4.parse) }

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
