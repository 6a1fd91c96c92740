/// A failure inside a primitive; the machine adds the chart and node.
public struct PrimitiveError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// True when the primitive refused a malformed value of the kind a packet carries (a MAC, an
    /// address, a port). A run that handles a packet then drops it at that node, as a device
    /// drops a packet it cannot parse; any other run fails with the message.
    public let isMalformedInput: Bool

    public init(_ message: String) {
        self.message = message
        isMalformedInput = false
    }

    private init(message: String, isMalformedInput: Bool) {
        self.message = message
        self.isMalformedInput = isMalformedInput
    }

    /// A refusal of a malformed MAC, address or port (see `isMalformedInput`).
    public static func malformed(_ message: String) -> PrimitiveError {
        PrimitiveError(message: message, isMalformedInput: true)
    }

    public var description: String { message }
}

/// A run that cannot go on, naming the chart and node where it stopped.
public struct RunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The chart id (empty when the failure concerns the request as a whole).
    public let chart: String
    /// The node id, when one is concerned.
    public let node: String?
    public let message: String

    public init(chart: String, node: String?, _ message: String) {
        self.chart = chart
        self.node = node
        self.message = message
    }

    public var description: String {
        if chart.isEmpty { return message }
        return node.map { "\(chart) \($0): \(message)" } ?? "\(chart): \(message)"
    }
}
