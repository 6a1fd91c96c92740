import FlowchartModel
import Protocols

/// Addresses as the network model reads them from `device.interfaces` (SIMULATION.md "The network").
enum Addr {
    static let broadcast = "255.255.255.255"

    static func v4(_ s: String?) -> UInt32? { s.flatMap(IPv4.parse) }

    static func isV6(_ s: String) -> Bool { s.contains(":") }

    static func isMulticastV6(_ s: String) -> Bool { s.lowercased().hasPrefix("ff") && isV6(s) }

    /// Same IPv6 address whatever its spelling.
    static func sameV6(_ a: String, _ b: String) -> Bool {
        guard let x = IPv6.parse(a), let y = IPv6.parse(b) else { return a == b }
        return x == y
    }

    /// The interface's IPv4 subnet, when it has an address.
    static func subnet(_ iface: Value) -> (net: UInt32, mask: UInt32, ip: UInt32)? {
        guard let ip = v4(iface["ip"].string), ip != 0, let mask = v4(iface["mask"].string), mask != 0 else { return nil }
        return (ip & mask, mask, ip)
    }

    /// Whether `dst` is the limited broadcast or the directed broadcast of the interface's subnet.
    static func isBroadcast(_ dst: String, on iface: Value) -> Bool {
        if dst == broadcast { return true }
        guard let d = v4(dst), let s = subnet(iface) else { return false }
        return d == s.net | ~s.mask && s.mask != UInt32.max
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
