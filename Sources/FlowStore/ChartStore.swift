import FlowchartModel
import Foundation
import SQLiteKit

/// Charts in SQLite: opening (create, migrate, seed), loading, saving as revisions, import and
/// export of chart files. Every write is one transaction.
public final class ChartStore {
    /// The database file.
    public let path: String
    let db: Database

    /// What opening did to the bundled charts (nil when the bundle was the one already loaded).
    public private(set) var bundleUpdate: BundleUpdate?

    /// Opens or creates the database at `path`, applies pending migrations and, with `seed`, adds
    /// each bundled chart that is not there yet and brings up to date those nobody edited. A new
    /// database is built beside `path` and moved into place whole, so several processes may open
    /// a new file at once and a half-made file is never seen. An existing file is checked first
    /// (`PRAGMA quick_check`): a damaged one is refused, as is an empty one (0 bytes, or SQLite
    /// with no tables) unless `allowEmptyFile` (what `l7flow init` asks for). Without `verify`
    /// that check, which reads the whole file, is skipped: for a command that reads a few charts
    /// and changes nothing (`run`), where damage on a page it reads still fails the read.
    public convenience init(
        path: String, seed: Bool = true, migrator: Migrator = Migrator(), bundled: [Chart]? = nil,
        allowEmptyFile: Bool = false, verify: Bool = true
    ) throws(StoreError) {
        var created: BundleUpdate?
        if !FileManager.default.fileExists(atPath: path) {
            created = try ChartStore.create(path, seed: seed, migrator: migrator, bundled: bundled)
        }
        try self.init(
            opening: path, seed: seed, migrator: migrator, bundled: bundled, allowEmptyFile: allowEmptyFile,
            verify: verify)
        if bundleUpdate == nil { bundleUpdate = created }
    }

    /// Opens the file at `path` (SQLite creates it when missing: only `create` lets it).
    private init(
        opening path: String, seed: Bool, migrator: Migrator, bundled: [Chart]?, allowEmptyFile: Bool,
        verify: Bool = true
    ) throws(StoreError) {
        self.path = path
        do {
            db = try Database(path: path)
        } catch {
            if error.isCorruption {
                // An SQLite file whose schema cannot be read is damaged; anything else is no database.
                let header = FileManager.default.contents(atPath: path)?.prefix(16)
                if header == Data("SQLite format 3\u{0}".utf8) {
                    throw StoreError.damaged(path: path, findings: [error.message])
                }
                throw StoreError.notADatabase(path: path)
            }
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
        // The file has an SQLite header (Database checked); what fails to read now is damage.
        if verify { try quickCheck() }
        let tables = try run { () throws(SQLiteError) in
            try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        }
        if tables == .integer(0) && !allowEmptyFile { throw StoreError.emptyFile(path: path) }
        // Setting WAL needs a write once; a read-only file already in WAL mode is still read.
        do { _ = try db.scalar("PRAGMA journal_mode = WAL") } catch  where error.isReadOnly {} catch {
            throw StoreError.from(error, path: path)
        }
        // With WAL, NORMAL keeps every commit safe from a crash of the process (not of the
        // machine's power) at a fraction of the syncs.
        try run { () throws(SQLiteError) in try db.execute("PRAGMA synchronous = NORMAL") }
        try migrator.migrate(db, path: path)
        if seed {
            // The bundle already loaded needs no reading (the usual open), nor the write lock.
            let bundleDigest = bundled.map { ChartStore.digest($0.map(ChartText.format)) } ?? Bundled.chartsDigest
            guard try loadedBundleDigest() != bundleDigest else { return }
            let seeds: [Chart]
            if let bundled { seeds = bundled } else { seeds = try ChartStore.bundledCharts() }
            bundleUpdate = try write(.immediate) { () throws(StoreError) in
                guard try loadedBundleDigest() != bundleDigest else { return nil }
                let update = try updateBundled(seeds)
                try run { () throws(SQLiteError) in
                    try db.execute(
                        "INSERT OR REPLACE INTO bundle_state (id, digest) VALUES (1, ?)", [.text(bundleDigest)])
                }
                return update
            }
        }
    }

    private func loadedBundleDigest() throws(StoreError) -> String? {
        try run { () throws(SQLiteError) in try db.scalar("SELECT digest FROM bundle_state WHERE id = 1").text }
    }

    /// Builds a new database at a temporary name beside `path` and links it into place, unless
    /// another process got there first (then its database is the one used).
    /// Returns what seeding it did, when this process's database is the one in place.
    private static func create(_ path: String, seed: Bool, migrator: Migrator, bundled: [Chart]?) throws(StoreError)
        -> BundleUpdate?
    {
        removeAbandonedBuilds(of: path)
        let temporary = "\(path).new-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let update: BundleUpdate?
        do {
            update = try ChartStore(
                opening: temporary, seed: seed, migrator: migrator, bundled: bundled, allowEmptyFile: true
            ).bundleUpdate
        } catch {
            // A folder that cannot be written fails here; name the file asked for.
            if case .cannotOpen(_, let reason) = error { throw StoreError.cannotOpen(path: path, reason: reason) }
            if case .readOnly = error { throw StoreError.readOnly(path: path) }
            throw error
        }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { return nil }
            // A file system without hard links: move it into place, unless a file appeared meanwhile.
            if code == EPERM || code == EOPNOTSUPP, !FileManager.default.fileExists(atPath: path),
                (try? FileManager.default.moveItem(atPath: temporary, toPath: path)) != nil
            {
                return update
            }
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
        return update
    }

    /// Deletes the half-built databases (and their journals) of processes killed while they made
    /// one at `path`: files `<path>.new-<pid>-*` whose process is gone.
    private static func removeAbandonedBuilds(of path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".new-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    /// SQLite's quick check of the whole file (what every open does before it may write).
    private func quickCheck() throws(StoreError) {
        let lines: [String]
        do { lines = try db.query("PRAGMA quick_check").map { $0.text("quick_check") } } catch {
            if error.isCorruption { throw StoreError.damaged(path: path, findings: [error.message]) }
            throw StoreError.from(error, path: path)
        }
        if lines != ["ok"] { throw StoreError.damaged(path: path, findings: lines) }
    }

    /// SQLite's full integrity check (indexes against their tables too), for `init` and `validate`.
    public func checkIntegrity() throws(StoreError) {
        let lines: [String]
        do { lines = try db.query("PRAGMA integrity_check").map { $0.text("integrity_check") } } catch {
            if error.isCorruption { throw StoreError.damaged(path: path, findings: [error.message]) }
            throw StoreError.from(error, path: path)
        }
        if lines != ["ok"] { throw StoreError.damaged(path: path, findings: lines) }
    }

    /// Checks every bundled chart now (opening skips that when the bundle is the one last
    /// loaded): adds those missing, for instance deleted by hand, updates unedited ones and
    /// removes rows a hand edit left without their chart or node. Says what it did, together
    /// with what opening did.
    @discardableResult
    public func refreshBundled() throws(StoreError) -> BundleUpdate {
        let charts = try ChartStore.bundledCharts()
        let now = try write(.immediate) { () throws(StoreError) in
            var update = try updateBundled(charts)
            update.orphansRemoved = try removeOrphans()
            return update
        }
        guard let atOpen = bundleUpdate else { return now }
        return BundleUpdate(
            added: atOpen.added + now.added, updated: atOpen.updated + now.updated, kept: now.kept,
            orphansRemoved: now.orphansRemoved)
    }

    /// Adds the bundled charts that are missing, and brings up to date each chart nobody has
    /// edited since it was loaded from an older bundled version. An edited chart is kept.
    private func updateBundled(_ seeds: [Chart]) throws(StoreError) -> BundleUpdate {
        let (existing, recorded) = try run { () throws(SQLiteError) in
            (
                Set(try db.query("SELECT id FROM charts").map { $0.text("id") }),
                Dictionary(
                    try db.query("SELECT chart_id, digest FROM bundled_versions").map {
                        ($0.text("chart_id"), $0.text("digest"))
                    },
                    uniquingKeysWith: { a, _ in a })
            )
        }
        var update = BundleUpdate()
        for chart in seeds {
            let digest = ChartStore.digest(chart)
            if existing.contains(chart.id) {
                guard recorded[chart.id] != digest,
                    let current = try fetch(where: "WHERE id = ?", [.text(chart.id)]).first
                else { continue }
                let currentDigest = ChartStore.digest(current.chart)
                if currentDigest != digest {
                    // Edited since it was loaded (or loaded by a build that kept no record): keep it.
                    guard recorded[chart.id] == currentDigest else {
                        update.kept.append(chart.id)
                        continue
                    }
                    try insertOrReplace(chart, draft: false)
                    update.updated.append(chart.id)
                }
            } else {
                try insertOrReplace(chart, draft: false)
                update.added.append(chart.id)
            }
            try recordBundled(chart.id, digest)
        }
        return update
    }

    private func recordBundled(_ id: String, _ digest: String) throws(StoreError) {
        try run { () throws(SQLiteError) in
            try db.execute(
                "INSERT OR REPLACE INTO bundled_versions (chart_id, digest) VALUES (?, ?)", [.text(id), .text(digest)])
        }
    }

    /// A stable digest of a chart's canonical text.
    static func digest(_ chart: Chart) -> String { digest([ChartText.format(chart)]) }

    /// A stable digest of texts (64-bit FNV-1a over each text and a separator, hex).
    static func digest(_ texts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for text in texts {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0xFF
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// The charts that ship inside the binary.
    public static func bundledCharts() throws(StoreError) -> [Chart] {
        var charts: [Chart] = []
        var errors: [ChartText.ParseError] = []
        for file in Bundled.charts {
            do { charts.append(try ChartText.parse(file.text, source: file.path)) } catch { errors.append(error) }
        }
        if !errors.isEmpty { throw StoreError.unreadableCharts(errors) }
        return charts
    }

    // MARK: Reading

    /// One line per chart (what `l7flow list` shows), in id order.
    public func summaries() throws(StoreError) -> [ChartSummary] {
        try run { () throws(SQLiteError) in
            try db.query("SELECT * FROM chart_summary").map {
                ChartSummary(
                    id: $0.text("id"), protocolName: $0.text("protocol"), role: $0.text("role"),
                    trigger: $0.text("trigger"),
                    nodeCount: $0.int("nodes"), edgeCount: $0.int("edges"), revision: $0.int("revision"),
                    draft: $0.int("draft") != 0)
            }
        }
    }

    /// One chart, or nil.
    public func load(_ id: String) throws(StoreError) -> StoredChart? {
        try load(where: "WHERE id = ?", [.text(id)]).first
    }

    /// Every chart, in id order, read with one query per table.
    public func loadAll() throws(StoreError) -> [StoredChart] {
        try load(where: "", [])
    }

    private func load(where clause: String, _ bindings: [SQLValue]) throws(StoreError) -> [StoredChart] {
        // One read transaction, so the three queries see the same version of every chart.
        try write(.deferred) { () throws(StoreError) in try fetch(where: clause, bindings) }
    }

    /// Reads charts with one query per table, inside the caller's transaction.
    func fetch(where clause: String, _ bindings: [SQLValue]) throws(StoreError) -> [StoredChart] {
        let nodeClause = clause.replacingOccurrences(of: "WHERE id", with: "WHERE chart_id")
        return try run { () throws(SQLiteError) in
            let charts = try db.query("SELECT * FROM charts \(clause) ORDER BY id", bindings)
            let nodes = try db.query("SELECT * FROM nodes \(nodeClause) ORDER BY chart_id, position", bindings)
            let edges = try db.query("SELECT * FROM edges \(nodeClause) ORDER BY chart_id, position", bindings)
            var edgesByNode: [String: [Edge]] = [:]
            for e in edges {
                let outcome = EdgeOutcome(rawValue: e.text("outcome")) ?? .next
                edgesByNode["\(e.text("chart_id"))\u{0}\(e.text("from_node"))", default: []].append(
                    Edge(outcome, e.text("to_node")))
            }
            var nodesByChart: [String: [Node]] = [:]
            for n in nodes {
                let chart = n.text("chart_id")
                let id = n.text("id")
                let kind = NodeKind(rawValue: n.text("kind")) ?? .action
                nodesByChart[chart, default: []].append(
                    Node(
                        id: id, kind: kind, label: n.text("label"), body: n.text("body"),
                        edges: edgesByNode["\(chart)\u{0}\(id)"] ?? []))
            }
            return charts.map { c in
                let id = c.text("id")
                let chart = Chart(
                    id: id, title: c.text("title"), heading: c.text("heading"), protocolName: c.text("protocol"),
                    role: c.text("role"), trigger: c.text("trigger"), source: c.text("source"),
                    description: c.text("description"), arguments: c.text("args"), nodes: nodesByChart[id] ?? [])
                return StoredChart(chart: chart, revision: c.int("revision"), draft: c.int("draft") != 0)
            }
        }
    }

    /// Which chart runs for each protocol, role and trigger.
    public func bindings() throws(StoreError) -> [Binding] {
        try run { () throws(SQLiteError) in
            try db.query("SELECT * FROM bindings ORDER BY protocol, role, trigger").map {
                Binding(
                    protocolName: $0.text("protocol"), role: $0.text("role"), trigger: $0.text("trigger"),
                    chartID: $0.text("chart_id"))
            }
        }
    }

    /// The logged changes of a chart, oldest first.
    public func changes(chartID: String) throws(StoreError) -> [ChangeRecord] {
        try run { () throws(SQLiteError) in
            try db.query("SELECT * FROM changes WHERE chart_id = ? ORDER BY seq", [.text(chartID)]).map {
                ChangeRecord(
                    seq: $0.int("seq"), chartID: $0.text("chart_id"), revision: $0.int("revision"), at: $0.text("at"),
                    via: $0.text("via"), what: $0.text("what"), node: $0.optionalText("node_id"),
                    old: $0.optionalText("old"), new: $0.optionalText("new"))
            }
        }
    }

    /// Changes when another connection commits (for reloading a long-running process's charts).
    public func dataVersion() throws(StoreError) -> Int64 {
        try run { () throws(SQLiteError) in try db.dataVersion() }
    }

    /// Rows a hand edit left behind without what they belong to (possible in a database made
    /// before migration 0009, or with its triggers dropped): one readable line each.
    public func orphans() throws(StoreError) -> [String] {
        try run { () throws(SQLiteError) in
            try db.query(ChartStore.orphanQuery).map { $0.text("what") }
        }
    }

    /// The orphan rows of `orphans()`, described; the statements below delete the same rows.
    static let orphanQuery = """
        SELECT 'node ' || id || ' of chart ' || chart_id || ', which does not exist' AS what FROM nodes
            WHERE chart_id NOT IN (SELECT id FROM charts)
        UNION ALL
        SELECT 'edge ' || chart_id || ' ' || from_node || ' ' || outcome || ' -> ' || to_node || ', whose node ' || from_node || ' does not exist'
            FROM edges WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.chart_id = edges.chart_id AND n.id = edges.from_node)
        UNION ALL
        SELECT 'binding ' || protocol || ' ' || role || ' ' || trigger || ' -> ' || chart_id || ', a chart that does not exist'
            FROM bindings WHERE chart_id NOT IN (SELECT id FROM charts)
        ORDER BY 1
        """

    /// Inside a write transaction: deletes the rows `orphans()` names; returns their lines.
    func removeOrphans() throws(StoreError) -> [String] {
        try run { () throws(SQLiteError) in
            let found = try db.query(ChartStore.orphanQuery).map { $0.text("what") }
            guard !found.isEmpty else { return [] }
            try db.execute(
                "DELETE FROM edges WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.chart_id = edges.chart_id AND n.id = edges.from_node)"
            )
            try db.execute("DELETE FROM nodes WHERE chart_id NOT IN (SELECT id FROM charts)")
            try db.execute("DELETE FROM bindings WHERE chart_id NOT IN (SELECT id FROM charts)")
            return found
        }
    }

    // MARK: Writing

    /// Stores a chart (replacing header, nodes and edges) as one new revision; returns it.
    @discardableResult
    public func save(_ chart: Chart, draft: Bool = false) throws(StoreError) -> Int {
        try write(.immediate) { () throws(StoreError) in try insertOrReplace(chart, draft: draft) }
    }

    /// Changes one chart under the write lock: `change` gets the chart as stored and every other
    /// chart, and returns the new chart and whether to store it as a draft (or throws to refuse).
    /// Nothing another process commits meanwhile is lost. Returns the revision.
    /// A change that left the chart as it was makes no revision (`changed` is false).
    @discardableResult
    public func update(_ id: String, _ change: (Chart, [Chart]) throws -> (chart: Chart, draft: Bool))
        throws(StoreError) -> Saved
    {
        try write(.immediate) { () throws(StoreError) in
            let all = try fetch(where: "", [])
            guard let current = all.first(where: { $0.chart.id == id }) else { throw StoreError.chartNotFound(id) }
            let result: (chart: Chart, draft: Bool)
            do { result = try change(current.chart, all.map(\.chart).filter { $0.id != id }) } catch {
                throw StoreError.refused("\(error)")
            }
            if result.chart == current.chart && result.draft == current.draft {
                return Saved(revision: current.revision, changed: false)
            }
            let revision = try insertOrReplace(result.chart, draft: result.draft)
            return Saved(revision: revision, changed: revision != current.revision)
        }
    }

    /// Imports chart files (folders are searched for `*.flow`). Every file is read, and `validate`
    /// (given the incoming and the stored charts) must report no errors, before anything is
    /// written; then all are saved in one transaction. Returns the ids imported.
    public func importFiles(_ paths: [String], validate: (([Chart], [Chart]) -> [Diagnostic])? = nil) throws(StoreError)
        -> [String]
    {
        var files: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw StoreError.file(path: path, reason: "no such file or folder")
            }
            if isDir.boolValue {
                let found = (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".flow") }.sorted().map { (path as NSString).appendingPathComponent($0) }
                files.append(contentsOf: found)
            } else {
                files.append(path)
            }
        }
        var charts: [Chart] = []
        var errors: [ChartText.ParseError] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                throw StoreError.file(path: file, reason: "cannot be read as UTF-8 text")
            }
            do { charts.append(try ChartText.parse(text, source: file)) } catch { errors.append(error) }
        }
        if !errors.isEmpty { throw StoreError.unreadableCharts(errors) }
        var seen: [String: String] = [:]
        for (chart, file) in zip(charts, files) {
            if let first = seen[chart.id] { throw StoreError.duplicateChart(id: chart.id, files: [first, file]) }
            seen[chart.id] = file
        }
        if let validate {
            let problems = validate(charts, try loadAll().map(\.chart)).filter { $0.severity == .error }
            if !problems.isEmpty { throw StoreError.invalidCharts(problems) }
        }
        try write(.immediate) { () throws(StoreError) in
            for chart in charts { try insertOrReplace(chart, draft: false) }
        }
        return charts.map(\.id)
    }

    /// Writes charts as `<dir>/<protocol>/<id>.flow` in the canonical form; returns the paths.
    public func export(ids: [String]?, to directory: String) throws(StoreError) -> [String] {
        let all = try loadAll()
        var chosen: [StoredChart] = []
        if let ids {
            for id in ids {
                guard let c = all.first(where: { $0.chart.id == id }) else { throw StoreError.chartNotFound(id) }
                chosen.append(c)
            }
        } else {
            chosen = all
        }
        var written: [String] = []
        for stored in chosen {
            let folder = (directory as NSString).appendingPathComponent(stored.chart.protocolName)
            let file = (folder as NSString).appendingPathComponent("\(stored.chart.id).flow")
            // A hand edit could store any text; never write outside the folder asked for.
            for name in [stored.chart.protocolName, stored.chart.id] where name.contains("/") || name.hasPrefix(".") {
                throw StoreError.file(
                    path: file,
                    reason:
                        "'\(name)' cannot be a file or folder name (chart \(stored.chart.id)); nothing more was written"
                )
            }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try ChartText.format(stored.chart).write(toFile: file, atomically: true, encoding: .utf8)
            } catch {
                throw StoreError.file(path: file, reason: error.localizedDescription)
            }
            written.append(file)
        }
        return written
    }

    /// Puts the database back to the bundled charts, in one transaction: a chart that is not
    /// bundled is deleted, every bundled chart is stored as bundled (a new revision where it had
    /// been edited, so the edits stay in its history and can be restored), and the bindings are
    /// the bundled charts' own again.
    public func reset(bundled: [Chart]? = nil) throws(StoreError) {
        let charts: [Chart]
        if let bundled { charts = bundled } else { charts = try ChartStore.bundledCharts() }
        let keep = Set(charts.map(\.id))
        try write(.immediate) { () throws(StoreError) in
            try run { () throws(SQLiteError) in
                try db.execute("UPDATE edit_context SET via = 'cli', batch = 0")
                for row in try db.query("SELECT id FROM charts ORDER BY id") where !keep.contains(row.text("id")) {
                    try db.execute("DELETE FROM charts WHERE id = ?", [.text(row.text("id"))])
                }
                try db.execute("DELETE FROM bindings")
                try db.execute("UPDATE edit_context SET via = 'sql', batch = NULL")
            }
            _ = try removeOrphans()
            for chart in charts {
                try insertOrReplace(chart, draft: false)
                try recordBundled(chart.id, ChartStore.digest(chart))
            }
        }
    }

    /// Runs raw SQL (for tests and tools that edit the database as a person would).
    public func executeSQL(_ sql: String) throws(StoreError) {
        try run { () throws(SQLiteError) in try db.executeScript(sql) }
    }

    // MARK: Internals

    /// Inside a write transaction: one CLI batch replacing the chart, then one revision step.
    @discardableResult
    func insertOrReplace(_ chart: Chart, draft: Bool) throws(StoreError) -> Int {
        try run { () throws(SQLiteError) in
            let exists = try db.scalar("SELECT count(*) FROM charts WHERE id = ?", [.text(chart.id)]) == .integer(1)
            try db.execute("UPDATE edit_context SET via = 'cli', batch = ?", [.integer(exists ? 1 : 0)])
            let header: [SQLValue] = [
                .text(chart.title), .text(chart.heading), .text(chart.protocolName), .text(chart.role),
                .text(chart.trigger), .text(chart.source), .text(chart.description), .text(chart.arguments),
                .integer(draft ? 1 : 0), .text(chart.id),
            ]
            let lastChange = try db.scalar("SELECT coalesce(max(seq), 0) FROM changes")
            if exists {
                try db.execute(
                    """
                    UPDATE charts SET title = ?, heading = ?, protocol = ?, role = ?, trigger = ?, source = ?, description = ?,
                      args = ?, draft = ? WHERE id = ?
                    """, header)
            } else {
                try db.execute(
                    """
                    INSERT INTO charts (title, heading, protocol, role, trigger, source, description, args, draft, id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, header)
            }
            try replaceRows(of: chart)
            // A save that changed nothing makes no revision, and leaves the last one's snapshot
            // (and the path it came through) as it was.
            let changed =
                try db.scalar(
                    "SELECT count(*) FROM changes WHERE seq > ? AND chart_id = ?", [lastChange, .text(chart.id)])
                != .integer(0)
            if exists && changed {
                try db.execute(
                    "UPDATE charts SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                    [.text(chart.id)])
            }
            try db.execute(
                "INSERT OR IGNORE INTO bindings (protocol, role, trigger, chart_id) VALUES (?, ?, ?, ?)",
                [.text(chart.protocolName), .text(chart.role), .text(chart.trigger), .text(chart.id)])
            try db.execute("UPDATE edit_context SET via = 'sql', batch = NULL")
            if changed || !exists { try db.execute(ChartStore.snapshotSQL, [.text(chart.id)]) }
            if case .integer(let r) = try db.scalar("SELECT revision FROM charts WHERE id = ?", [.text(chart.id)]) {
                return Int(r)
            }
            return 1
        }
    }

    /// Brings the chart's node and edge rows to `chart` with as few row changes as possible, so the
    /// revision log names what really changed (an unchanged node is not touched).
    private func replaceRows(of chart: Chart) throws(SQLiteError) {
        let id = SQLValue.text(chart.id)
        var oldNodes: [String: Row] = [:]
        for row in try db.query("SELECT * FROM nodes WHERE chart_id = ?", [id]) { oldNodes[row.text("id")] = row }
        var oldEdges: [String: Row] = [:]
        for row in try db.query("SELECT * FROM edges WHERE chart_id = ?", [id]) {
            oldEdges["\(row.text("from_node")) \(row.text("outcome"))"] = row
        }
        let newIDs = Set(chart.nodes.map(\.id))
        for (nodeID, _) in oldNodes where !newIDs.contains(nodeID) {
            try db.execute("DELETE FROM nodes WHERE chart_id = ? AND id = ?", [id, .text(nodeID)])
        }
        var newEdgeKeys: Set<String> = []
        for node in chart.nodes { for edge in node.edges { newEdgeKeys.insert("\(node.id) \(edge.outcome.rawValue)") } }
        // Edges of nodes the chart no longer has (or never had: left behind by a hand edit) go too.
        for (key, row) in oldEdges where !newEdgeKeys.contains(key) {
            try db.execute(
                "DELETE FROM edges WHERE chart_id = ? AND from_node = ? AND outcome = ?",
                [id, .text(row.text("from_node")), .text(row.text("outcome"))])
        }
        var edgePosition = 0
        for (position, node) in chart.nodes.enumerated() {
            let values: [SQLValue] = [
                .text(node.kind.rawValue), .text(node.label), .text(node.body), .integer(Int64(position)), id,
                .text(node.id),
            ]
            if let old = oldNodes[node.id] {
                if old.text("kind") != node.kind.rawValue || old.text("label") != node.label
                    || old.text("body") != node.body
                    || old.int("position") != position
                {
                    try db.execute(
                        "UPDATE nodes SET kind = ?, label = ?, body = ?, position = ? WHERE chart_id = ? AND id = ?",
                        values)
                }
            } else {
                try db.execute(
                    "INSERT INTO nodes (kind, label, body, position, chart_id, id) VALUES (?, ?, ?, ?, ?, ?)", values)
            }
            for edge in node.edges {
                let key = "\(node.id) \(edge.outcome.rawValue)"
                let values: [SQLValue] = [
                    .text(edge.target), .integer(Int64(edgePosition)), id, .text(node.id), .text(edge.outcome.rawValue),
                ]
                if let old = oldEdges[key] {
                    if old.text("to_node") != edge.target || old.int("position") != edgePosition {
                        try db.execute(
                            "UPDATE edges SET to_node = ?, position = ? WHERE chart_id = ? AND from_node = ? AND outcome = ?",
                            values)
                    }
                } else {
                    try db.execute(
                        "INSERT INTO edges (to_node, position, chart_id, from_node, outcome) VALUES (?, ?, ?, ?, ?)",
                        values)
                }
                edgePosition += 1
            }
        }
    }

    /// Records the chart's current state as the snapshot of its current revision (the view
    /// `chart_snapshot` of Migrations/0010 holds the one definition of a snapshot).
    static let snapshotSQL = """
        INSERT OR REPLACE INTO chart_revisions (chart_id, revision, via, snapshot)
        SELECT c.id, c.revision, 'cli', s.snapshot FROM charts c JOIN chart_snapshot s ON s.chart_id = c.id
        WHERE c.id = ?1
        """

    func write<T>(_ kind: Database.TransactionKind, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do { return try db.transaction(kind) { try body() } } catch { throw StoreError.wrapping(error, path: path) }
    }

    func run<T>(_ body: () throws(SQLiteError) -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw StoreError.from(error, path: path) }
    }
}
