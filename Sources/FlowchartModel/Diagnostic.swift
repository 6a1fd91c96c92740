/// One problem the validator found, naming the chart and (when it has one) the node.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, stable for tests and tools.
    public enum Code: String, Sendable, Hashable {
        case noEntry = "no-entry"
        case badNodeID = "bad-node-id"
        case duplicateNode = "duplicate-node"
        case syntax
        case edges = "wrong-edges"
        case danglingEdge = "dangling-edge"
        case unreachable
        case unknownPrimitive = "unknown-primitive"
        case wrongKind = "wrong-primitive-kind"
        case arity
        case argumentType = "argument-type"
        case unknownRoot = "unknown-root"
        case missingChart = "missing-chart"
        case callArguments = "call-arguments"
        case loopWithoutWait = "loop-without-wait"
        case endOutcome = "end-outcome"
        case header
        case tooLarge = "too-large"
    }

    /// Whether the problem stops the chart from running.
    public enum Severity: String, Sendable, Hashable {
        /// The chart cannot be compiled or run.
        case error
        /// Worth a look; the chart still runs (the step budget guards against what it warns of).
        case warning
    }

    public let code: Code
    public let severity: Severity
    /// The chart id.
    public let chart: String
    /// The node id, or nil for a chart-level problem.
    public let node: String?
    /// A plain sentence.
    public let message: String

    public init(_ code: Code, chart: String, node: String?, _ message: String, severity: Severity = .error) {
        self.code = code
        self.severity = severity
        self.chart = chart
        self.node = node
        self.message = message
    }

    /// `chart node: message`.
    public var description: String {
        let text = node.map { "\(chart) \($0): \(message)" } ?? "\(chart): \(message)"
        return severity == .warning ? "warning: " + text : text
    }
}
