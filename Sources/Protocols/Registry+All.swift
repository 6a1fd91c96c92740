import FlowEngine

extension Registry {
    /// Every primitive and message type l7flow ships: the generic ones and each protocol's.
    public static let l7flow: Registry = {
        var r = Registry.generic
        r.register(Registry.dhcp)
        r.register(messages: ["DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE", "DHCPACK", "DHCPNAK", "DHCPRELEASE",
                              "DHCPINFORM", "BOOTREQUEST", "BOOTREPLY"], protocol: "dhcp", transport: "udp")
        return r
    }()
}
