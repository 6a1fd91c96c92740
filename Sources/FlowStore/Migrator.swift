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
    public static let bundled: [Migration] = (try? parse(Bundled.migrations.map { ($0.path, $0.text) })) ?? []

    /// Problems with the bundled migration files (a misnamed file, a number used twice); empty
    /// in a sound build. A store refuses to open while there are any.
    public static let bundledProblems: [String] = {
        do throws(StoreError) { _ = try parse(Bundled.migrations.map { ($0.path, $0.text) }) } catch {
            return [error.description]
        }
        return []
    }()

    /// Reads migration files named `NNNN_name.sql` (four digits, an underscore, a name of
    /// lower-case letters, digits and underscores), in version order. A file named otherwise,
    /// or two files with one number, is refused rather than skipped: a skipped migration would
    /// leave the schema silently behind.
    public static func parse(_ files: [(path: String, text: String)]) throws(StoreError) -> [Migration] {
        var out: [Migration] = []
        for (path, text) in files {
            let base = path.split(separator: "/").last.map(String.init) ?? path
            let scalars = Array(base.unicodeScalars)
            let digits = scalars.prefix(4)
            let nameScalars = scalars.dropFirst(5).dropLast(4)
            guard scalars.count > 9, digits.allSatisfy({ ("0"..."9").contains($0) }), scalars[4] == "_",
                base.hasSuffix(".sql"),
                nameScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
                let version = Int(String(String.UnicodeScalarView(digits))), version > 0
            else {
                throw StoreError.misnamedMigration(file: path)
            }
            if let twin = out.first(where: { $0.version == version }) {
                throw StoreError.misnamedMigration(file: "\(path) (number \(version) is also \(twin.name))")
            }
            out.append(Migration(version: version, name: String(String.UnicodeScalarView(nameScalars)), sql: text))
        }
        return out.sorted { $0.version < $1.version }
    }
}

/// Applies pending migrations in order, each in its own write transaction (`BEGIN IMMEDIATE`)
/// together with its line in `schema_migrations`: a failed migration leaves the database as the
/// one before left it, and two processes never apply the same migration.
public struct Migrator: Sendable {
    /// The known migrations, in version order.
    public let migrations: [Migration]

    /// A migrator for these migrations (a prefix of the bundled ones, in tests).
    public init(_ migrations: [Migration] = Migration.bundled) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Versions already applied (creating the empty `schema_migrations` table of a new database).
    public func appliedVersions(_ db: Database) throws(SQLiteError) -> [Int] {
        try db.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
            """)
        return try db.query("SELECT version FROM schema_migrations ORDER BY version").map { $0.int("version") }
    }

    /// Applies what is missing; returns the versions applied now. Refuses a database with a
    /// version this build does not know (made by a newer build) and an SQLite file of some other
    /// program (tables, but no `schema_migrations`), changing nothing. Runs outside any
    /// transaction: it opens one per migration.
    @discardableResult
    public func migrate(_ db: Database, path: String) throws(StoreError) -> [Int] {
        if let problem = Migration.bundledProblems.first { throw StoreError.refused(problem) }
        // The usual open: everything applied already, seen without taking the write lock (so a
        // read-only file can still be read).
        if let applied = try? alreadyApplied(db), migrations.allSatisfy({ applied.contains($0.version) }),
            applied.allSatisfy({ v in migrations.contains { $0.version == v } })
        {
            return []
        }
        var done: [Int] = []
        while true {
            let next: Migration? = try transaction(db) { () throws(StoreError) -> Migration? in
                let applied = try pending(db, path: path)
                guard let m = migrations.first(where: { !applied.contains($0.version) }) else { return nil }
                do throws(SQLiteError) {
                    try db.executeScript(m.sql)
                    try db.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [.integer(Int64(m.version)), .text(m.name)])
                } catch {
                    throw StoreError.migrationFailed(path: path, version: m.version, name: m.name, error: error)
                }
                return m
            }
            guard let next else { return done }
            done.append(next.version)
        }
    }

    /// The versions applied, read without creating anything; nil before the first migration.
    private func alreadyApplied(_ db: Database) throws(SQLiteError) -> Set<Int>? {
        guard
            try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
                != .integer(0)
        else {
            return nil
        }
        return Set(try db.query("SELECT version FROM schema_migrations").map { $0.int("version") })
    }

    /// The versions applied, after checking the database is l7flow's and not newer than this build.
    private func pending(_ db: Database, path: String) throws(StoreError) -> Set<Int> {
        let applied: [Int]
        do {
            let hasLog =
                try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
                != .integer(0)
            let tables = try db.scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            if !hasLog && tables != .integer(0) { throw StoreError.foreignDatabase(path: path) }
            applied = try appliedVersions(db)
        } catch {
            throw StoreError.wrapping(error)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.last(where: { !known.contains($0) }) {
            throw StoreError.newerSchema(path: path, version: unknown, known: migrations.last?.version ?? 0)
        }
        return Set(applied)
    }

    private func transaction<T>(_ db: Database, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do { return try db.transaction(.immediate) { try body() } } catch { throw StoreError.wrapping(error) }
    }
}
