import CSQLite

/// A prepared statement, finalized when released. Bind values (all at once with `bind(_:)`, or
/// one by one with `bind(_:at:)`), `step()` through the rows, read the columns; `bind(_:)` resets
/// the statement, so one statement can be run again and again with new values.
public final class Statement {
    let handle: OpaquePointer
    /// Held strongly, so a statement kept longer than its database stays valid.
    let database: Database
    /// The statement's SQL.
    public let sql: String
    /// False for a statement the database keeps in its cache: released, it is only reset.
    let owned: Bool

    /// A use of a statement the database keeps prepared (see `Database.cached`).
    init(borrowing handle: OpaquePointer, database: Database, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
        owned = false
    }

    init(database: Database, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            // SQL made only of comments or white space compiles to no statement.
            if rc == SQLITE_OK {
                throw SQLiteError(code: SQLITE_MISUSE, message: "the SQL holds no statement", sql: sql)
            }
            throw database.error(rc, sql: sql)
        }
        handle = stmt
        self.database = database
        self.sql = sql
        owned = true
    }

    deinit {
        if owned {
            sqlite3_finalize(handle)
        } else {
            // Back in the cache: reset, so it holds no read lock while it waits.
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// How many `?` parameters the statement takes.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and binds values to all its parameters in order.
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        reset()
        guard values.count == parameterCount else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "the statement takes \(parameterCount) values, not \(values.count)",
                sql: sql)
        }
        for (i, value) in values.enumerated() { try bind(value, at: i + 1) }
    }

    /// Binds one value to the parameter at a 1-based `index` (as SQLite counts), leaving the others.
    public func bind(_ value: SQLValue, at index: Int) throws(SQLiteError) {
        let i = Int32(index)
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, i)
        case .integer(let v): rc = sqlite3_bind_int64(handle, i, v)
        case .real(let v): rc = sqlite3_bind_double(handle, i, v)
        case .text(let v): rc = sqlite3_bind_text(handle, i, v, Int32(v.utf8.count), Statement.transient)
        case .blob(let v) where v.isEmpty: rc = sqlite3_bind_zeroblob(handle, i, 0)
        case .blob(let v):
            rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32(v.count), Statement.transient) }
        }
        guard rc == SQLITE_OK else { throw database.error(rc, sql: sql) }
    }

    /// Rewinds the statement to run again and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Advances to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to its end with these values, discarding rows.
    public func execute(_ values: [SQLValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
    }

    /// How many columns a row has.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The names of the columns, in order.
    public var columnNames: [String] {
        (0..<Int32(columnCount)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// The value of a 0-based column of the current row.
    public func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// The current row.
    public func row() -> Row {
        Row(names: columnNames, values: (0..<Int32(columnCount)).map { value(at: $0) })
    }
}
