import SQLiteKit

/// One numbered schema change.
public struct Migration: Sendable, Hashable {
    /// The number that orders it (NNNN in `Migrations/NNNN_name.sql`).
    public let version: Int
    /// What it does, as its file names it.
    public let name: String
    /// The statements, run as one script.
    public let sql: String

    /// A migration (the bundled ones are read from `Migrations/`).
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
/// inside a write transaction (`BEGIN IMMEDIATE`), so a failed migration leaves the database as
/// it was and two processes never apply the same migration.
public struct Migrator: Sendable {
    /// The known migrations, in version order.
    public let migrations: [Migration]

    /// A migrator for these migrations (a prefix of the bundled ones, in tests).
    public init(_ migrations: [Migration] = Migration.bundled) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// Versions already applied (creating the empty `schema_migrations` table of a new database).
    public func appliedVersions(_ db: Database) throws(SQLiteError) -> [Int] {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
            """)
        return try db.query("SELECT version FROM schema_migrations ORDER BY version").map { $0.int("version") }
    }

    /// Applies what is missing; returns the versions applied now. Refuses a database with a
    /// version this build does not know (made by a newer build) and an SQLite file of some other
    /// program (tables, but no `schema_migrations`), changing nothing.
    @discardableResult
    public func migrate(_ db: Database, path: String) throws(StoreError) -> [Int] {
        let applied: [Int]
        do {
            let hasLog = try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != .integer(0)
            let tables = try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            if !hasLog && tables != .integer(0) { throw StoreError.foreignDatabase(path: path) }
            applied = try appliedVersions(db)
        } catch {
            throw StoreError.wrapping(error)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.last(where: { !known.contains($0) }) {
            throw StoreError.newerSchema(path: path, version: unknown, known: migrations.last?.version ?? 0)
        }
        var done: [Int] = []
        for m in migrations where !applied.contains(m.version) {
            do {
                try db.executeScript(m.sql)
                try db.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [.integer(Int64(m.version)), .text(m.name)])
            } catch {
                throw StoreError.migrationFailed(path: path, version: m.version, name: m.name, error: error)
            }
            done.append(m.version)
        }
        return done
    }
}
