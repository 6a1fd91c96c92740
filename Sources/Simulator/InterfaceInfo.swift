import FlowchartModel

/// An interface's addressing as the network reads it, parsed once each time the interface
/// changes instead of on every delivery (the `iface` map of `device.interfaces` stays the truth).
struct InterfaceInfo: Equatable {
    /// `iface.ip` as a number (nil: absent or not an address; 0 for `0.0.0.0`).
    let ip: UInt32?
    /// `iface.mask` as a number.
    let mask: UInt32?
    /// `iface.gateway` as a number.
    let gateway: UInt32?
    /// `iface.mac` in lower case.
    let mac: String?
    /// The LAN the interface is plugged into.
    let lan: String?
    /// False only when `iface.up` is `false`.
    let up: Bool
    /// Whether the interface has IPv6 addresses (read from the map itself when asked).
    let hasV6: Bool

    init(_ iface: Value) {
        ip = Addr.v4(iface["ip"].string)
        mask = Addr.v4(iface["mask"].string)
        gateway = Addr.v4(iface["gateway"].string)
        mac = iface["mac"].string?.lowercased()
        lan = iface["lan"].string
        up = iface["up"] != .bool(false)
        hasV6 = !iface["link_local"].isNull || !iface["ipv6_addrs"].isNull
    }

    /// The IPv4 address when it is set (not `0.0.0.0`).
    var address: UInt32? { ip == 0 ? nil : ip }

    /// The interface's IPv4 subnet, when it has an address .
    var subnet: (net: UInt32, mask: UInt32, ip: UInt32)? {
        guard let ip, ip != 0, let mask, mask != 0 else { return nil }
        return (ip & mask, mask, ip)
    }

    /// Whether `dst` (its text and its number) is the limited broadcast or this subnet's directed broadcast.
    func isBroadcast(_ dst: String, _ number: UInt32?) -> Bool {
        if dst == Addr.broadcast { return true }
        guard let d = number, let s = subnet else { return false }
        return d == s.net | ~s.mask && s.mask != UInt32.max
    }
}
