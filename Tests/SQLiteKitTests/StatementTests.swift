import CSQLite
import Foundation
import SQLiteKit
import Testing

@Suite struct StatementTests {
    @Test func bindsByIndexAndRunsAgainAfterReset() throws {
        let db = try Database(path: temporaryPath())
        let add = try db.prepare("SELECT ?1 + ?2 AS sum")
        #expect(add.parameterCount == 2)
        #expect(add.columnNames == ["sum"])
        try add.bind(.integer(2), at: 1)
        try add.bind(.integer(3), at: 2)
        #expect(try add.step())
        #expect(add.row().int("sum") == 5)
        #expect(add.row().int(0) == 5)
        add.reset()
        try add.bind(.real(0.5), at: 1)
        try add.bind(.integer(1), at: 2)
        #expect(try add.step())
        #expect(add.row()["sum"] == .real(1.5))
        // Binding while a row is being read is a misuse (reset first).
        #expect(sqliteError { try add.bind(.null, at: 3) }?.code == SQLITE_MISUSE)
        add.reset()
        #expect(sqliteError { try add.bind(.null, at: 3) }?.code == SQLITE_RANGE)
    }

    @Test func emptyBlobsAndTextWithNULsSurviveARoundTrip() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (b BLOB, s TEXT)")
        try db.execute("INSERT INTO t VALUES (?, ?)", [.blob([]), .text("a\u{0}b ✓ 🛰")])
        let row = try #require(
            try db.query("SELECT b, s, typeof(b) AS type, length(CAST(s AS BLOB)) AS bytes FROM t").first)
        #expect(row["b"] == .blob([]))
        #expect(row.text("type") == "blob")
        #expect(row["s"] == .text("a\u{0}b ✓ 🛰"))
        #expect(row.int("bytes") == "a\u{0}b ✓ 🛰".utf8.count)
    }

    @Test func scriptsRowIDsAndChangeCounts() throws {
        let db = try Database(path: temporaryPath())
        try db.executeScript(
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO t (name) VALUES ('a'); INSERT INTO t (name) VALUES ('b');
            """)
        #expect(db.lastInsertRowID == 2)
        try db.execute("UPDATE t SET name = upper(name)")
        #expect(db.changes == 2)
        do {
            try db.executeScript("INSERT INTO t (name) VALUES ('c'); INSERT INTO t (name) VALUES (NULL);")
            Issue.record("should fail")
        } catch {
            #expect(error.isConstraintViolation)
            #expect(error.message.contains("NOT NULL constraint failed: t.name"))
        }
        #expect(try db.scalar("SELECT name FROM t WHERE id = 99") == .null)
        let empty = sqliteError { _ = try db.prepare("-- only a comment") }
        #expect(empty?.code == SQLITE_MISUSE && empty?.message == "the SQL holds no statement")
    }

    @Test func typedReadsOfARow() throws {
        let db = try Database(path: temporaryPath())
        let row = try #require(
            try db.query("SELECT 7 AS i, '42' AS t, 2.75 AS r, NULL AS n, 1 AS yes, 0 AS no, x'00ff' AS b").first)
        #expect(row.int("i") == 7 && row.int64("i") == 7 && row.double("i") == 7)
        #expect(row.int("t") == 42 && row.text("t") == "42")
        #expect(row.double("r") == 2.75 && row.int("r") == 2 && row.text("r") == "2.75")
        #expect(row.optionalText("n") == nil && row.optionalInt("n") == nil && row.text("n") == "" && row.int("n") == 0)
        #expect(row.bool("yes") && !row.bool("no"))
        #expect(row.blob("b") == [0, 255])
        #expect(row["no such column"] == .null && row[99] == .null)
        #expect(row.text(1) == "42" && row.double(2) == 2.75)
        let values: [SQLValue] = [1, 2.5, "x", true, nil]
        #expect(values == [.integer(1), .real(2.5), .text("x"), .integer(1), .null])
    }

    @Test func aReadOnlyConnectionRefusesWritesAndNeedsAnExistingFile() throws {
        let path = temporaryPath()
        try Database(path: path).execute("CREATE TABLE t (i INTEGER)")
        let reader = try Database(path: path, readOnly: true)
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(0))
        #expect(sqliteError { try reader.execute("INSERT INTO t VALUES (1)") }?.isReadOnly == true)
        #expect(
            sqliteError { _ = try Database(path: temporaryPath("missing.sqlite"), readOnly: true) }?.code
                == SQLITE_CANTOPEN)
    }

    @Test func transactionsDoNotNestAndAWriterWaitsOnlyAsLongAsItsTimeout() throws {
        let path = temporaryPath()
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (i INTEGER)")
        let nested = sqliteError {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                try db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
            }
        }
        #expect(nested?.message == "cannot start a transaction within a transaction")
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))

        let other = try Database(path: path, busyTimeout: 50)
        try db.transaction(.immediate) {
            do {
                try other.execute("BEGIN IMMEDIATE")
                Issue.record("the lock is held")
            } catch {
                #expect((error as? SQLiteError)?.isBusy == true)
            }
        }
        try other.transaction(.immediate) { try other.execute("INSERT INTO t VALUES (3)") }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test func aStatementKeepsItsDatabaseOpen() throws {
        func makeStatement() throws -> Statement {
            let db = try Database(path: temporaryPath())
            try db.execute("CREATE TABLE t (i INTEGER)")
            return try db.prepare("INSERT INTO t VALUES (?)")
        }
        let insert = try makeStatement()
        try insert.execute([.integer(1)])
        try insert.execute([.integer(2)])
        #expect(sqliteError { try insert.execute([]) }?.code == SQLITE_RANGE)
    }

    @Test func aStatementKeptPreparedHoldsNoLockBetweenUsesAndSeesSchemaChanges() throws {
        let path = temporaryPath()
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (i INTEGER)")
        for i in 1...3 { try db.execute("INSERT INTO t VALUES (?)", [.integer(Int64(i))]) }
        // A query stopped after its first row (scalar) must not keep the file locked.
        #expect(try db.scalar("SELECT i FROM t ORDER BY i") == .integer(1))
        #expect(try db.query("SELECT i FROM t ORDER BY i").map { $0.int("i") } == [1, 2, 3])
        let other = try Database(path: path, busyTimeout: 50)
        try other.execute("DELETE FROM t WHERE i = 3")
        try other.execute("ALTER TABLE t ADD COLUMN j INTEGER DEFAULT 7")
        #expect(try db.query("SELECT * FROM t ORDER BY i").map { $0.int("j") } == [7, 7])
        #expect(try db.scalar("SELECT i FROM t ORDER BY i") == .integer(1))
    }
}
