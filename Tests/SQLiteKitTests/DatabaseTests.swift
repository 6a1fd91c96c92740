import CSQLite
import Foundation
import SQLiteKit
import Testing

/// The SQLiteError a call threw, or nil, to assert its code.
func sqliteError(_ body: () throws -> Void) -> SQLiteError? {
    do { try body() } catch let error as SQLiteError { return error } catch { return nil }
    return nil
}

func temporaryPath(_ name: String = "db.sqlite") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sqlitekit-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Suite struct DatabaseTests {
    @Test func bindsAndReadsEveryValueType() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        try db.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
            [.integer(42), .real(2.5), .text("héllo"), .blob([0, 1, 255]), .null])
        let rows = try db.query("SELECT * FROM t")
        #expect(rows.count == 1)
        #expect(rows[0]["i"] == .integer(42))
        #expect(rows[0]["r"] == .real(2.5))
        #expect(rows[0]["s"] == .text("héllo"))
        #expect(rows[0]["b"] == .blob([0, 1, 255]))
        #expect(rows[0]["n"] == .null)
        #expect(rows[0].int("i") == 42)
        #expect(rows[0].text("s") == "héllo")
        #expect(rows[0].optionalText("n") == nil)
    }

    @Test func preparedStatementsAreReused() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (i INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        for i in 0..<10 {
            try insert.bind([.integer(Int64(i))])
            #expect(try insert.step() == false)
        }
        #expect(try db.scalar("SELECT sum(i) FROM t") == .integer(45))
        #expect(sqliteError { try insert.bind([]) }?.code == SQLITE_RANGE)
    }

    @Test func transactionsCommitOrRollBack() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (i INTEGER)")
        try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test func aConstraintViolationCarriesTheSQL() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (i INTEGER CHECK (i > 0))")
        do {
            try db.execute("INSERT INTO t VALUES (?)", [.integer(-1)])
            Issue.record("should fail")
        } catch {
            #expect(error.code == 19)  // SQLITE_CONSTRAINT
            #expect(error.sql == "INSERT INTO t VALUES (?)")
            #expect(error.description.contains("CHECK constraint failed"))
        }
        let syntax = sqliteError { try db.execute("SELEKT 1") }
        #expect(syntax?.code == SQLITE_ERROR && syntax?.message == "near \"SELEKT\": syntax error")
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAtOpen() throws {
        let path = temporaryPath()
        try String(repeating: "garbage ", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Database(path: path)
            Issue.record("should fail")
        } catch {
            #expect(error.isCorruption)
        }
    }

    @Test func anUnreachablePathIsAnError() {
        #expect(
            sqliteError { _ = try Database(path: "/nonexistent-folder-l7flow/x/db.sqlite") }?.code == SQLITE_CANTOPEN)
    }

    @Test func dataVersionMovesWhenAnotherConnectionCommits() throws {
        let path = temporaryPath()
        let a = try Database(path: path)
        let b = try Database(path: path)
        try a.execute("CREATE TABLE t (i INTEGER)")
        let before = try b.dataVersion()
        try a.execute("INSERT INTO t VALUES (1)")
        #expect(try b.dataVersion() != before)
    }
}
