import SQLiteKit

/// One numbered schema change.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations that ship inside the binary (`Migrations/NNNN_name.sql`), in order.
    public static let bundled: [Migration] = Bundled.migrations.compactMap { file in
        let base = file.path.split(separator: "/").last.map(String.init) ?? file.path
        guard let underscore = base.firstIndex(of: "_"), let version = Int(base[..<underscore]) else { return nil }
        let name = String(base[base.index(after: underscore)...]).replacingOccurrences(of: ".sql", with: "")
        return Migration(version: version, name: name, sql: file.text)
    }.sorted { $0.version < $1.version }
}

/// Applies pending migrations in order, each recorded in `schema_migrations`. The caller runs it
/// inside a write transaction, so a failed migration leaves the database as it was.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(_ migrations: [Migration] = Migration.bundled) { self.migrations = migrations }

    /// Versions already applied.
    public func appliedVersions(_ db: Database) throws(SQLiteError) -> [Int] {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
            """)
        return try db.query("SELECT version FROM schema_migrations ORDER BY version").map { $0.int("version") }
    }

    /// Applies what is missing; returns the versions applied now. Fails on a version it does not know.
    @discardableResult
    public func migrate(_ db: Database, path: String) throws(StoreError) -> [Int] {
        do {
            let applied = try appliedVersions(db)
            let known = migrations.map(\.version).max() ?? 0
            if let newer = applied.first(where: { $0 > known }) { throw StoreError.newerSchema(path: path, version: newer, known: known) }
            var done: [Int] = []
            for m in migrations where !applied.contains(m.version) {
                try db.executeScript(m.sql)
                try db.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [.integer(Int64(m.version)), .text(m.name)])
                done.append(m.version)
            }
            return done
        } catch let error as SQLiteError {
            throw StoreError.sql(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.sql(SQLiteError(code: 1, message: "\(error)"))
        }
    }
}
