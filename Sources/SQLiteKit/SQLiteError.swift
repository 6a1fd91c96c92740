import CSQLite
import Foundation

/// A failed SQLite call: the result code, SQLite's message and the SQL that failed.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_NOTADB`, ...).
    public let code: Int32
    /// The extended result code.
    public let extendedCode: Int32
    /// SQLite's explanation.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    /// An error with this code and message (the extended code defaults to the primary one).
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// True for a damaged file or one that is not a database.
    public var isCorruption: Bool { code == SQLITE_NOTADB || code == SQLITE_CORRUPT }

    /// True when the database, its folder or its journal cannot be written.
    public var isReadOnly: Bool { code == SQLITE_READONLY }

    /// True when the disk (or `max_page_count`) left no room for the change.
    public var isFull: Bool { code == SQLITE_FULL }

    /// True when a constraint (CHECK, NOT NULL, UNIQUE, FOREIGN KEY, ...) refused the change.
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// True when a trigger refused the change (`RAISE(ABORT, 'why')`): the message is the why.
    public var isTriggerRefusal: Bool { extendedCode == SQLITE_CONSTRAINT | (7 << 8) }  // SQLITE_CONSTRAINT_TRIGGER

    /// True when another connection held the lock longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// "SQLite error CODE: message (in: the SQL on one line)".
    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql {
            text +=
                " (in: \(sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")))"
        }
        return text
    }
}
