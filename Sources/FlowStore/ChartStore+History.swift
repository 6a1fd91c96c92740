import FlowchartModel
import SQLiteKit

/// One revision of a chart: when, through which path, and what changed.
public struct RevisionRecord: Sendable, Hashable {
    public let revision: Int
    public let at: String
    /// `cli` or `sql`.
    public let via: String
    /// The logged changes that made this revision, one line each.
    public let changes: [String]
}

extension ChartStore {
    /// The revisions of a chart with a snapshot, oldest first, each with its logged changes.
    public func revisions(of id: String) throws(StoreError) -> [RevisionRecord] {
        let rows = try run { () throws(SQLiteError) in
            try db.query(
                "SELECT revision, at, via FROM chart_revisions WHERE chart_id = ? ORDER BY revision", [.text(id)])
        }
        if rows.isEmpty, try load(id) == nil { throw StoreError.chartNotFound(id) }
        let log = try changes(chartID: id)
        return rows.map { row in
            let revision = row.int("revision")
            let entries = log.filter { $0.revision == revision }
            if let added = entries.first(where: { $0.what == "chart added" }) {
                let nodes = entries.filter { $0.what == "node added" }.count
                return RevisionRecord(
                    revision: revision, at: row.text("at"), via: row.text("via"),
                    changes: ["chart added: \(added.new ?? "") (\(nodes) nodes)"])
            }
            let lines = entries.map { change -> String in
                var text = change.what
                if let node = change.node { text += " \(node)" }
                if let old = change.old, let new = change.new {
                    text += ": \(old)  =>  \(new)"
                } else if let new = change.new {
                    text += ": \(new)"
                } else if let old = change.old {
                    text += ": \(old)"
                }
                return text
            }
            return RevisionRecord(revision: revision, at: row.text("at"), via: row.text("via"), changes: lines)
        }
    }

    /// The chart as it was at a revision.
    public func chart(_ id: String, at revision: Int) throws(StoreError) -> Chart {
        let rows = try run { () throws(SQLiteError) in
            try db.query(
                "SELECT snapshot FROM chart_revisions WHERE chart_id = ? AND revision = ?",
                [.text(id), .integer(Int64(revision))])
        }
        guard let text = rows.first?.text("snapshot") else {
            let known = (try? revisions(of: id).map(\.revision)) ?? []
            throw StoreError.file(
                path: id,
                reason: "has no revision \(revision)"
                    + (known.isEmpty ? "" : " (it has \(known.map(String.init).joined(separator: ", ")))"))
        }
        do {
            let v = try JSON.parse(text)
            let h = v["header"]
            var chart = Chart(
                id: id, title: h["title"].text, heading: h["heading"].text, protocolName: h["protocol"].text,
                role: h["role"].text, trigger: h["trigger"].text, source: h["source"].text,
                description: h["description"].text, arguments: h["args"].text)
            let edges = v["edges"].list ?? []
            for n in v["nodes"].list ?? [] {
                let nodeID = n["id"].text
                chart.nodes.append(
                    Node(
                        id: nodeID, kind: NodeKind(rawValue: n["kind"].text) ?? .action, label: n["label"].text,
                        body: n["body"].text,
                        edges: edges.filter { $0["from"].text == nodeID }.map {
                            Edge(EdgeOutcome(rawValue: $0["outcome"].text) ?? .next, $0["to"].text)
                        }))
            }
            return chart
        } catch {
            throw StoreError.file(path: id, reason: "the snapshot of revision \(revision) cannot be read: \(error)")
        }
    }

    /// Makes revision `revision` the current state again, as a new revision; returns it.
    @discardableResult
    public func revert(_ id: String, to revision: Int) throws(StoreError) -> Int {
        guard let current = try load(id) else { throw StoreError.chartNotFound(id) }
        let old = try chart(id, at: revision)
        return try save(old, draft: current.draft)
    }

    /// Gives a chart a new id; its history, nodes, edges and bindings follow. One new revision.
    @discardableResult
    public func rename(_ id: String, to newID: String) throws(StoreError) -> Int {
        try ChartStore.checkName(newID)
        guard try load(id) != nil else { throw StoreError.chartNotFound(id) }
        if try load(newID) != nil { throw StoreError.file(path: newID, reason: "a chart with that id exists already") }
        return try write(.immediate) { () throws(StoreError) in
            try run { () throws(SQLiteError) in
                try db.execute("UPDATE edit_context SET via = 'cli', batch = 1")
                try db.execute("UPDATE charts SET id = ? WHERE id = ?", [.text(newID), .text(id)])
                try db.execute("UPDATE chart_revisions SET chart_id = ? WHERE chart_id = ?", [.text(newID), .text(id)])
                try db.execute("UPDATE changes SET chart_id = ? WHERE chart_id = ?", [.text(newID), .text(id)])
                try db.execute(
                    """
                    INSERT INTO changes (chart_id, revision, via, what, old, new)
                    SELECT id, revision + 1, 'cli', 'chart renamed', ?, ? FROM charts WHERE id = ?
                    """, [.text(id), .text(newID), .text(newID)])
                try db.execute("UPDATE charts SET revision = revision + 1 WHERE id = ?", [.text(newID)])
                try db.execute("UPDATE edit_context SET via = 'sql', batch = NULL")
                try db.execute(ChartStore.snapshotSQL, [.text(newID)])
                if case .integer(let r) = try db.scalar("SELECT revision FROM charts WHERE id = ?", [.text(newID)]) {
                    return Int(r)
                }
                return 1
            }
        }
    }

    /// Copies a chart under a new id (revision 1 of the copy), to experiment beside the original.
    public func copy(_ id: String, to newID: String) throws(StoreError) {
        try ChartStore.checkName(newID)
        guard var chart = try load(id)?.chart else { throw StoreError.chartNotFound(id) }
        if try load(newID) != nil { throw StoreError.file(path: newID, reason: "a chart with that id exists already") }
        chart.id = newID
        try save(chart)
    }

    /// Makes `chartID` the chart that runs for a protocol, role and trigger.
    public func bind(protocolName: String, role: String, trigger: String, to chartID: String) throws(StoreError) {
        guard try load(chartID) != nil else { throw StoreError.chartNotFound(chartID) }
        try write(.immediate) { () throws(StoreError) in
            try run { () throws(SQLiteError) in
                let old = try db.query(
                    "SELECT chart_id FROM bindings WHERE protocol = ? AND role = ? AND trigger = ?",
                    [.text(protocolName), .text(role), .text(trigger)]
                ).first?.text("chart_id")
                try db.execute(
                    "INSERT OR REPLACE INTO bindings (protocol, role, trigger, chart_id) VALUES (?, ?, ?, ?)",
                    [.text(protocolName), .text(role), .text(trigger), .text(chartID)])
                try db.execute(
                    """
                    INSERT INTO changes (chart_id, revision, via, what, old, new)
                    SELECT id, revision, 'cli', 'binding changed', ?, ? FROM charts WHERE id = ?
                    """,
                    [
                        old.map { .text($0) } ?? .null, .text("\(protocolName) \(role) \(trigger) -> \(chartID)"),
                        .text(chartID),
                    ])
            }
        }
    }
}

extension ChartStore {
    /// Refuses a new chart id that does not fit `ChartName.pattern` (what the chart parser refuses
    /// in a file), so `rename` and `copy` cannot store a name that `import` would not take.
    static func checkName(_ id: String) throws(StoreError) {
        do { try ChartName.check(id, as: "chart id") } catch {
            throw StoreError.refused("\(error); nothing was changed")
        }
    }
}
