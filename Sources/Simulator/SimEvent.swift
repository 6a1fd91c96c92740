import FlowEngine
import FlowchartModel

/// One line of the event list: a command, a delivery, a timer expiry, a signal, a drop, or a
/// warning or failure the simulation reports, with the runs it caused.
public struct SimEvent: Sendable {
    public enum Kind: String, Sendable {
        case command, deliver, timer, signal, drop
        /// Something Packet Tracer would warn about (two interfaces with one address on a LAN).
        case warning
        /// A run failed inside the simulation (a primitive error, the step budget).
        case error
    }

    public let at: Double
    public var kind: Kind
    /// The last device before (a delivery or drop), else the device it happens on.
    public let from: String
    /// The device it happens on.
    public let to: String
    /// The message type (delivery, drop), else the chart, timer or signal name.
    public let type: String
    /// The message as delivered, or the command's event, the timer's or signal's value.
    public let message: Value
    public var reason: String?
    public var runs: [RunRecord]
}

/// What one run (or one stretch of a suspended run) did during an event.
public struct RunRecord: Sendable {
    public let flowchart: String
    public let revision: Int
    /// The nodes visited, in the test-case notation.
    public let path: [String]
    /// The end node and its outcome; nil while the run waits (see `waiting`) or when it failed.
    public let end: EndInfo?
    /// The wait node it stopped at.
    public let waiting: String?
    /// The failure that stopped it: chart, node and message.
    public let error: RunError?
    public let reports: [String]
    public let sent: [Value]
}

extension SimEvent {
    static func number(_ d: Double) -> Value {
        let r = (d * 1_000_000).rounded() / 1_000_000
        return r.rounded() == r && abs(r) < 1e15 ? .int(Int(r)) : .double(r)
    }

    /// The event as `--json` prints it.
    public var json: Value {
        var m: [String: Value] = [
            "at": SimEvent.number(at), "kind": .string(kind.rawValue), "from": .string(from), "to": .string(to),
            "type": .string(type), "message": message, "runs": .list(runs.map(\.json)),
        ]
        if let reason { m["reason"] = .string(reason) }
        return .map(m)
    }
}

extension RunRecord {
    public var json: Value {
        var m: [String: Value] = [
            "flowchart": .string(flowchart), "revision": .int(revision), "path": .list(path.map(Value.string)),
            "end": end.map { .map(["node": .string($0.node), "outcome": .string($0.outcome.rawValue)]) } ?? .null,
            "reports": .list(reports.map(Value.string)), "sent": .list(sent),
        ]
        if let waiting { m["waiting"] = .string(waiting) }
        if let error {
            m["error"] = .map([
                "chart": .string(error.chart), "node": error.node.map(Value.string) ?? .null,
                "message": .string(error.message),
            ])
        }
        return .map(m)
    }
}
