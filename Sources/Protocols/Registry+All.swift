import FlowEngine

extension Registry {
    /// Every primitive and message type l7flow ships: the generic ones and each protocol's.
    public static let l7flow: Registry = {
        var r = Registry.generic
        for pack in protocolPacks { r.register(pack) }
        return r
    }()

    /// One pack per protocol file (`Registry+DHCP.swift`, ...).
    static let protocolPacks: [ProtocolPack] = [
        .dhcp,
        .dns,
        .snmp,
        .radius,
        .tacacs,
        .aaa,
        .ftp,
        .telnet,
        .ssh,
        .vty,
        .dhcpv6,
        .ntp,
        .syslog,
        .http,
        .smtp,
        .pop3,
        .tftp,
        .voip,
        .terminal,
        // New protocol packs go above this line, one per line.
    ]
}
