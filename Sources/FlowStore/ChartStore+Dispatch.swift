import SQLiteKit

/// One row of the `dispatch` table (migration 0008): what arrives → a (protocol, role, trigger).
public struct DispatchRow: Sendable, Hashable {
    public let position: Int
    /// `udp`, `tcp`, `timer` or `signal`.
    public let transport: String
    public let port: Int?
    /// `local` (the port it arrives at) or `peer` (the port an answer comes from).
    public let side: String
    /// GLOB on the message type, timer name or signal name.
    public let message: String
    /// GLOB on the chart that first sent from the local port (peer side).
    public let sender: String
    public let protocolName: String
    public let role: String
    public let trigger: String
    /// The "Triggered by" line the row comes from.
    public let note: String
}

extension ChartStore {
    /// The dispatch rows in matching order.
    public func dispatchRows() throws(StoreError) -> [DispatchRow] {
        try run { () throws(SQLiteError) in
            try db.query("SELECT * FROM dispatch ORDER BY position").map {
                DispatchRow(
                    position: $0.int("position"), transport: $0.text("transport"), port: $0.optionalInt("port"),
                    side: $0.text("side"), message: $0.text("message"), sender: $0.text("sender"),
                    protocolName: $0.text("protocol"), role: $0.text("role"), trigger: $0.text("trigger"),
                    note: $0.text("note"))
            }
        }
    }

    /// The chart each `protocol.role.trigger` names: a stored binding (`edit bind`), else the
    /// chart whose header has that protocol, role and trigger.
    public func boundCharts() throws(StoreError) -> [String: String] {
        try run { () throws(SQLiteError) in
            var out: [String: String] = [:]
            for row in try db.query("SELECT id, protocol, role, trigger FROM charts WHERE draft = 0 ORDER BY id") {
                let key = "\(row.text("protocol")).\(row.text("role")).\(row.text("trigger"))"
                if out[key] == nil || row.text("id") == key { out[key] = row.text("id") }
            }
            for row in try db.query("SELECT protocol, role, trigger, chart_id FROM bindings") {
                out["\(row.text("protocol")).\(row.text("role")).\(row.text("trigger"))"] = row.text("chart_id")
            }
            return out
        }
    }
}
