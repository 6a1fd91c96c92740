import FlowchartModel

/// What a host that keeps many runs alive at once (the simulator) needs from a machine: the
/// shared roots swapped in before a run goes on and read back after it, the transport's port and
/// connection, the session binding, and the effects of the run in the order they happened.
extension Machine {
    /// A shared root as the run holds it now (`device`, `iface`, `packet`, `event`, `env`).
    public func root(_ slot: RootSlot) -> Value { run.shared[slot.rawValue] }

    /// Replaces a shared root before the run starts or goes on (other runs may have changed it).
    public func replaceRoot(_ slot: RootSlot, with value: Value) { run.shared[slot.rawValue] = value }

    /// The index in `device.sessions` that `session` is bound to, if any. Setting nil unbinds it
    /// (the session was removed by another run: it reads as null).
    public var sessionIndex: Int? {
        get {
            guard let loc = run.sessionBinding, loc.root == .device, loc.steps.count == 2,
                case .key("sessions") = loc.steps[0], case .index(let i) = loc.steps[1]
            else { return nil }
            return i
        }
        set {
            run.sessionBinding = newValue.map {
                Location(root: .device, frame: 0, steps: [.key("sessions"), .index($0)])
            }
            if newValue != nil { run.shared[RootSlot.session.rawValue] = .null }
        }
    }

    /// `session` as the run reads it.
    public var sessionRecord: Value { run.sessionValue }

    /// The local port the transport gave this run for sends without a source port (nil: none yet).
    public var transportPort: Int? {
        get { run.ephemeralPort }
        set { run.ephemeralPort = newValue }
    }

    /// The run's current TCP connection: the triggering packet's, or the one it opened.
    public var currentConnection: TCPEndpoint? {
        get { run.connection.map { TCPEndpoint(localPort: $0.localPort, peerIP: $0.peerIP, peerPort: $0.peerPort) } }
        set {
            run.connection = newValue.map {
                Run.Connection(localPort: $0.localPort, peerIP: $0.peerIP, peerPort: $0.peerPort)
            }
        }
    }

    /// The value a timer armed by this run carries (`start_timer(..., value:)`), while armed.
    public func armedTimerValue(_ name: String) -> Value? { run.armed[name]?.value }
}

/// One end of a TCP connection as a run sees it: its local port and the peer.
public struct TCPEndpoint: Sendable, Hashable {
    public var localPort: Int
    public var peerIP: String
    public var peerPort: Int
    public init(localPort: Int, peerIP: String, peerPort: Int) {
        self.localPort = localPort
        self.peerIP = peerIP
        self.peerPort = peerPort
    }
}
