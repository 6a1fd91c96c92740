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

    /// A trace to keep: the trace contract's JSON and what it is keyed to.
    public struct NewTrace: Sendable {
        public let trace: Value
        /// The chart the run started, and its revision.
        public let chartID: String
        public let revision: Int
        /// The revision of every chart the run visited.
        public let revisions: [String: Int]
        public let source: TraceSource
        public let label: String

        public init(
            _ trace: Value, chartID: String, revision: Int, revisions: [String: Int], source: TraceSource, label: String
        ) {
            self.trace = trace
            self.chartID = chartID
            self.revision = revision
            self.revisions = revisions
            self.source = source
            self.label = label
        }
    }

    /// Keeps one trace; returns its id.
    @discardableResult
    public func recordTrace(_ trace: NewTrace) throws(StoreError) -> Int {
        try recordTraces([trace])[0]
    }

    /// Keeps traces in one transaction (all of a simulation's runs, or none); returns their ids.
    @discardableResult
    public func recordTraces(_ traces: [NewTrace]) throws(StoreError) -> [Int] {
        try write(.immediate) { () throws(StoreError) in
            try run { () throws(SQLiteError) in
                try traces.map { t throws(SQLiteError) -> Int in
                    let revisionMap = Value.map(t.revisions.mapValues { Value.int($0) })
                    let path = t.trace["path"].isNull ? Value.list([]) : t.trace["path"]
                    try db.execute(
                        """
                        INSERT INTO traces (chart_id, revision, revisions, source, label, end_node, path, trace)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            .text(t.chartID), .integer(Int64(t.revision)), .text(JSON.encode(revisionMap)),
                            .text(t.source.rawValue), .text(t.label),
                            t.trace["end"]["node"].string.map { .text($0) } ?? .null, .text(JSON.encode(path)),
                            .text(JSON.encode(t.trace)),
                        ])
                    return Int(db.lastInsertRowID)
                }
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
