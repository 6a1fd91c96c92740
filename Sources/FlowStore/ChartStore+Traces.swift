import FlowchartModel
import SQLiteKit

/// A trace kept in the database (`run --record`, `simulate --record`).
public struct TraceRecord: Sendable, Hashable {
    public let id: Int
    /// The chart the run started, and its revision.
    public let chartID: String
    public let revision: Int
    /// The revision of every chart the run visited.
    public let revisions: [String: Int]
    /// `run` or `simulate`.
    public let source: String
    /// The context file, or the scenario and event.
    public let label: String
    /// The end node, or nil when the run did not end.
    public let endNode: String?
    /// Steps in the run.
    public let steps: Int
    public let recordedAt: String
}

extension ChartStore {
    /// Where a recorded run came from.
    public enum TraceSource: String, Sendable {
        case run, simulate
    }

    /// Keeps a trace (the trace contract's JSON); `revisions` holds the revision of every chart the
    /// run visited. Returns the trace's id.
    @discardableResult
    public func recordTrace(
        _ trace: Value, chartID: String, revision: Int, revisions: [String: Int], source: TraceSource,
        label: String
    ) throws(StoreError) -> Int {
        let revisionMap = Value.map(revisions.mapValues { Value.int($0) })
        let path = trace["path"].isNull ? Value.list([]) : trace["path"]
        return try write(.immediate) { () throws(StoreError) in
            try run { () throws(SQLiteError) in
                try db.execute(
                    """
                    INSERT INTO traces (chart_id, revision, revisions, source, label, end_node, path, trace)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(chartID), .integer(Int64(revision)), .text(JSON.encode(revisionMap)),
                        .text(source.rawValue),
                        .text(label), trace["end"]["node"].string.map { .text($0) } ?? .null, .text(JSON.encode(path)),
                        .text(JSON.encode(trace)),
                    ])
                return Int(db.lastInsertRowID)
            }
        }
    }

    /// The traces kept, oldest first; with `visiting`, only those that visited that chart.
    public func traces(visiting chartID: String? = nil) throws(StoreError) -> [TraceRecord] {
        try run { () throws(SQLiteError) in
            try db.query(
                "SELECT id, chart_id, revision, revisions, source, label, end_node, json_array_length(path) AS steps, recorded_at FROM traces ORDER BY id"
            )
            .compactMap { row -> TraceRecord? in
                let revisions = ((try? JSON.parse(row.text("revisions")))?.map ?? [:]).compactMapValues {
                    $0.number.flatMap { Int(exactly: $0) }
                }
                if let chartID, revisions[chartID] == nil { return nil }
                return TraceRecord(
                    id: row.int("id"), chartID: row.text("chart_id"), revision: row.int("revision"),
                    revisions: revisions, source: row.text("source"), label: row.text("label"),
                    endNode: row.optionalText("end_node"), steps: row.int("steps"), recordedAt: row.text("recorded_at"))
            }
        }
    }

    /// The whole trace kept under `id`.
    public func trace(_ id: Int) throws(StoreError) -> Value? {
        let text = try run { () throws(SQLiteError) in
            try db.scalar("SELECT trace FROM traces WHERE id = ?", [.integer(Int64(id))])
        }
        guard case .text(let json) = text else { return nil }
        do { return try JSON.parse(json) } catch {
            throw StoreError.refused("trace \(id) in \(path) is not valid JSON: \(error)")
        }
    }
}
