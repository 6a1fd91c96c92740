import FlowchartModel

extension Registry {
    /// The transport primitives of CONVENTIONS.md item 12. They act on the current connection;
    /// the transport's answers arrive as `TCP_*` packets and, after `tcp.open`, as signal
    /// `tcp.connect` ("opened" or "refused").
    static let tcpPrimitives: [Primitive] = [
        Primitive(
            "tcp.open", .action, [.init("ip", .string, nullable: false), .init("port", .int, nullable: false)],
            "start a TCP connection; the outcome arrives as signal tcp.connect (\"opened\" or \"refused\")"
        ) { inv throws(PrimitiveError) in
            let ip = try inv.string(0)
            let port = try inv.int(1)
            guard (1...65535).contains(port) else { throw PrimitiveError("tcp.open: \(port) is not a TCP port") }
            inv.openConnection(to: ip, port: port)
            return .none
        },
        Primitive("tcp.close", .action, [], "close the current connection (FIN)") { inv throws(PrimitiveError) in
            inv.effect(["tcp": "close"])
            return .none
        },
        Primitive("tcp.reset", .action, [], "reset the current connection (RST); no reply is sent") {
            inv throws(PrimitiveError) in
            inv.effect(["tcp": "reset"])
            return .none
        },
    ]
}

extension Invocation {
    /// Makes a connection to `ip:port` the current one, from the run's ephemeral port.
    func openConnection(to ip: String, port: Int) {
        if run.ephemeralPort == nil { run.ephemeralPort = 1025 }
        run.connection = Run.Connection(localPort: run.ephemeralPort!, peerIP: ip, peerPort: port)
        effect(["tcp": "open", "to": .string(ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)")])
    }
}
