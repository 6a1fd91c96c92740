import FlowchartModel
import SQLiteKit

/// Why the chart store could not do what was asked, in a plain sentence.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database, or is damaged.
    case notADatabase(path: String)
    /// The file exists but is empty (0 bytes): only `init` makes a database of it.
    case emptyFile(path: String)
    /// The database fails SQLite's integrity check; `findings` are SQLite's own lines.
    case damaged(path: String, findings: [String])
    /// The database (or the folder holding it) cannot be written.
    case readOnly(path: String)
    /// The disk (or the database's size limit) is full; the change was not made.
    case diskFull(path: String)
    /// A migration file whose name is not `NNNN_name.sql`, or whose number is used twice.
    case misnamedMigration(file: String)
    /// The file is an SQLite database of some other program (it has tables but no l7flow schema).
    case foreignDatabase(path: String)
    /// The database was made by a newer l7flow (it records a schema version this build lacks).
    case newerSchema(path: String, version: Int, known: Int)
    /// A migration failed; the database was left as it was.
    case migrationFailed(path: String, version: Int, name: String, error: SQLiteError)
    /// A statement failed.
    case sql(SQLiteError)
    /// Chart files that could not be read.
    case unreadableCharts([ChartText.ParseError])
    /// Charts that do not validate.
    case invalidCharts([Diagnostic])
    /// Two files of one import define the same chart.
    case duplicateChart(id: String, files: [String])
    /// No chart has that id.
    case chartNotFound(String)
    /// An edit was refused (the message says why).
    case refused(String)
    /// A file or folder could not be read or written.
    case file(path: String, reason: String)

    /// The plain sentence.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the database \(path): \(reason)"
        case .notADatabase(let path):
            "\(path) is not an l7flow database (the file is not SQLite, or it is damaged); nothing was changed"
        case .emptyFile(let path):
            "\(path) is an empty file, not an l7flow database; run 'l7flow --db \(path) init' to make it one"
        case .damaged(let path, let findings):
            "\(path) is damaged (SQLite's integrity check failed), so it was not used: "
                + findings.prefix(5).joined(separator: "; ") + (findings.count > 5 ? "; ..." : "")
                + ". Restore a backup, or export what still reads and import it into a new database"
        case .readOnly(let path): "\(path) cannot be written (the file or its folder is read-only); nothing was changed"
        case .diskFull(let path): "the disk holding \(path) is full; nothing was changed"
        case .misnamedMigration(let file):
            "the migration file \(file) is not named NNNN_name.sql with a number of its own; no migration was applied"
        case .foreignDatabase(let path):
            "\(path) is an SQLite database of some other program (it has tables but no l7flow schema); nothing was changed"
        case .migrationFailed(let path, let version, let name, let error):
            "cannot upgrade \(path): migration \(version) (\(name)) failed: \(error.message); the database was left as it was"
        case .newerSchema(let path, let version, let known):
            "\(path) was made by a newer l7flow (schema version \(version); this build knows up to \(known))"
        case .sql(let error): "\(error)"
        case .unreadableCharts(let errors):
            "cannot read chart files; nothing was imported:\n" + errors.map(\.description).joined(separator: "\n")
        case .invalidCharts(let diagnostics):
            "the charts do not validate; nothing was imported:\n"
                + diagnostics.map(\.description).joined(separator: "\n")
        case .duplicateChart(let id, let files):
            "chart \(id) is defined by more than one file (\(files.joined(separator: ", "))); nothing was imported"
        case .chartNotFound(let id): "no chart '\(id)'"
        case .refused(let message): message
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }
}

extension StoreError {
    /// Any error from inside a store operation on the database at `path`, as a StoreError.
    static func wrapping(_ error: any Error, path: String = "the database") -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as SQLiteError: from(error, path: path)
        default: .sql(SQLiteError(code: 1, message: "\(error)"))
        }
    }

    /// An SQLite error, named by what it means for the database at `path`.
    static func from(_ error: SQLiteError, path: String) -> StoreError {
        if error.isCorruption { return .notADatabase(path: path) }
        if error.isReadOnly { return .readOnly(path: path) }
        if error.isFull { return .diskFull(path: path) }
        // A schema trigger's refusal is a sentence of its own (Migrations/0009, 0011).
        if error.isTriggerRefusal { return .refused(error.message) }
        return .sql(error)
    }
}
