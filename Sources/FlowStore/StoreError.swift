import FlowchartModel
import SQLiteKit

/// Why the chart store could not do what was asked, in a plain sentence.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database, or is damaged.
    case notADatabase(path: String)
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
        case .notADatabase(let path): "\(path) is not an l7flow database (the file is not SQLite, or it is damaged); nothing was changed"
        case .foreignDatabase(let path):
            "\(path) is an SQLite database of some other program (it has tables but no l7flow schema); nothing was changed"
        case .migrationFailed(let path, let version, let name, let error):
            "cannot upgrade \(path): migration \(version) (\(name)) failed: \(error.message); the database was left as it was"
        case .newerSchema(let path, let version, let known):
            "\(path) was made by a newer l7flow (schema version \(version); this build knows up to \(known))"
        case .sql(let error): "\(error)"
        case .unreadableCharts(let errors): "cannot read chart files; nothing was imported:\n" + errors.map(\.description).joined(separator: "\n")
        case .invalidCharts(let diagnostics): "the charts do not validate; nothing was imported:\n" + diagnostics.map(\.description).joined(separator: "\n")
        case .duplicateChart(let id, let files):
            "chart \(id) is defined by more than one file (\(files.joined(separator: ", "))); nothing was imported"
        case .chartNotFound(let id): "no chart '\(id)'"
        case .refused(let message): message
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }
}

extension StoreError {
    /// Any error from inside a store operation, as a StoreError.
    static func wrapping(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as SQLiteError: .sql(error)
        default: .sql(SQLiteError(code: 1, message: "\(error)"))
        }
    }
}
