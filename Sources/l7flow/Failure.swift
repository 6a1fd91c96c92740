import FlowEngine
import FlowStore
import FlowchartModel

/// A failure already explained to the user: the sentence, and what it concerns (a chart, a node,
/// the validator's diagnostics) for `--json`'s `{"error": {...}}`. Exit status 1 (2 for usage).
struct Failure: Error, CustomStringConvertible {
    let message: String
    var chart: String?
    var node: String?
    var diagnostics: [Diagnostic] = []
    /// A machine-readable name of the kind of failure (`chart-not-found`, `invalid-chart`, ...).
    var code: String
    var usage = false

    init(
        _ message: String, code: String = "failed", chart: String? = nil, node: String? = nil,
        diagnostics: [Diagnostic] = [],
        usage: Bool = false
    ) {
        self.message = message
        self.code = usage ? "usage" : code
        self.chart = chart
        self.node = node
        self.diagnostics = diagnostics
        self.usage = usage
    }

    var description: String { message }
    var status: Int32 { usage ? 2 : 1 }

    /// `{"error": {"message", "code", "chart", "node", "diagnostics"}}`.
    var json: Value {
        var error: [String: Value] = ["message": .string(message), "code": .string(code)]
        error["chart"] = chart.map(Value.string) ?? .null
        error["node"] = node.map(Value.string) ?? .null
        if !diagnostics.isEmpty { error["diagnostics"] = .list(diagnostics.map(\.json)) }
        return .map(["error": .map(error)])
    }

    /// No chart with that id in the database.
    static func noChart(_ id: String, in path: String) -> Failure {
        Failure("no chart '\(id)' in \(path) (see 'l7flow list')", code: "chart-not-found", chart: id)
    }

    /// A store error, with the chart and diagnostics it names.
    init(_ error: StoreError) {
        switch error {
        case .chartNotFound(let id): self.init("\(error)", code: "chart-not-found", chart: id)
        case .invalidCharts(let diagnostics):
            self.init(
                "\(error)", code: "invalid-chart", chart: diagnostics.first?.chart, node: diagnostics.first?.node,
                diagnostics: diagnostics)
        case .unreadableCharts: self.init("\(error)", code: "unreadable-chart")
        case .duplicateChart(let id, _): self.init("\(error)", code: "duplicate-chart", chart: id)
        case .notADatabase, .foreignDatabase, .emptyFile: self.init("\(error)", code: "not-a-database")
        case .damaged: self.init("\(error)", code: "damaged-database")
        case .readOnly: self.init("\(error)", code: "read-only")
        case .diskFull: self.init("\(error)", code: "disk-full")
        case .newerSchema, .migrationFailed, .misnamedMigration: self.init("\(error)", code: "schema")
        case .cannotOpen: self.init("\(error)", code: "cannot-open")
        case .refused(let message): self.init(message, code: "refused")
        case .file: self.init("\(error)", code: "file")
        case .sql: self.init("\(error)", code: "sql")
        }
    }

    /// A run's error, naming the chart and node it happened at.
    init(_ error: RunError) {
        self.init("\(error)", code: "run-failed", chart: error.chart.isEmpty ? nil : error.chart, node: error.node)
    }
}

extension Diagnostic {
    /// `{"code", "severity", "chart", "node", "message"}`.
    var json: Value {
        .map([
            "code": .string(code.rawValue), "severity": .string(severity.rawValue), "chart": .string(chart),
            "node": node.map(Value.string) ?? .null, "message": .string(message),
        ])
    }
}

/// Runs a store operation, turning its error into a Failure.
func store<T>(_ body: () throws(StoreError) -> T) throws(Failure) -> T {
    do { return try body() } catch { throw Failure(error) }
}
