import CSQLite
import Foundation

/// An open SQLite database connection, closed when released. One connection is used from one
/// thread at a time (open one per thread or process; SQLite's locks and the busy timeout make
/// them wait for each other).
public final class Database {
    let handle: OpaquePointer
    /// The file the connection opened.
    public let path: String
    /// Statements run through `execute`, `query` and `scalar`, kept prepared by their SQL:
    /// preparing is most of the cost of a short statement (triggers are compiled into it).
    private var cache: [String: OpaquePointer] = [:]
    /// Enough for a program's fixed statements; SQL beyond it is prepared each time.
    static let cacheLimit = 128

    /// Opens (creating unless `readOnly`) the database at `path`, with foreign keys on and a busy
    /// timeout, and checks that the file really is a database.
    public init(path: String, readOnly: Bool = false, busyTimeout: Int32 = 5000) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeout)
        try execute("PRAGMA foreign_keys = ON")
        // Reading the schema fails at once on a file that is not a database.
        _ = try scalar("SELECT count(*) FROM sqlite_master")
    }

    deinit {
        for statement in cache.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(
            code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Prepares one statement, to bind and step, possibly many times.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// A statement from the cache (prepared on first use), or a new one when the cached one is
    /// in use (being stepped) or the cache is full.
    func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql], sqlite3_stmt_busy(statement) == 0 {
            return Statement(borrowing: statement, database: self, sql: sql)
        }
        guard cache[sql] == nil, cache.count < Database.cacheLimit else { return try prepare(sql) }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            if let statement { sqlite3_finalize(statement) }
            return try prepare(sql)  // the same error, or the no-statement case, as prepare names them
        }
        cache[sql] = statement
        return Statement(borrowing: statement, database: self, sql: sql)
    }

    /// Runs one statement with bindings, discarding rows.
    public func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) {
        try cached(sql).execute(bindings)
    }

    /// Runs several statements separated by semicolons (a migration, say), without bindings.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// All rows of a query.
    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) -> [Row] {
        let statement = try cached(sql)
        try statement.bind(bindings)
        // The columns are read after the first step: a kept statement is compiled again there
        // when the schema changed (`SELECT *` of a table that gained a column).
        guard try statement.step() else { return [] }
        let names = statement.columnNames
        let columns = 0..<Int32(names.count)
        var rows = [Row(names: names, values: columns.map { statement.value(at: $0) })]
        while try statement.step() { rows.append(Row(names: names, values: columns.map { statement.value(at: $0) })) }
        return rows
    }

    /// The first column of the first row, or null.
    public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) -> SQLValue {
        let statement = try cached(sql)
        try statement.bind(bindings)
        return try statement.step() ? statement.value(at: 0) : .null
    }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        /// Takes the write lock at once: what a read-then-write needs when several processes write.
        case immediate = "IMMEDIATE"
    }

    /// True between BEGIN and COMMIT or ROLLBACK.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the
    /// error is thrown on). Transactions do not nest: beginning one inside another is an error.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // SQLite may have rolled back already (after a failed COMMIT, say).
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// The rowid of the last insert.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// A number that changes when another connection commits a change (`PRAGMA data_version`).
    public func dataVersion() throws(SQLiteError) -> Int64 {
        if case .integer(let v) = try scalar("PRAGMA data_version") { return v }
        return 0
    }
}
