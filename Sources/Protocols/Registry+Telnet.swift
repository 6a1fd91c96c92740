import FlowEngine
import FlowchartModel

extension ProtocolPack {
    /// Telnet: the message type of `spec/telnet-ssh.md` (TCP 23). Its charts use only generic
    /// primitives and the vty pack's (`Registry+VTY.swift`).
    public static let telnet = ProtocolPack(
        name: "telnet", primitives: [],
        messages: ["TELNET_DATA"],
        protocol: "telnet", transport: "tcp")
}
