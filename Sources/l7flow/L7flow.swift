import ArgumentParser
import Foundation

/// The `l7flow` command: protocol flowcharts stored in SQLite, validated, run and traced.
struct L7flow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l7flow",
        abstract: "Protocol flowcharts as data: edit them in SQLite, validate, run and trace them.",
        discussion: """
            The database defaults to $L7FLOW_DB, else ./l7flow.sqlite; it is created and seeded with the
            bundled charts on first use. Exit status: 0 success, 1 invalid chart or input or failed run, 2 usage error.
            """,
        subcommands: []
    )
}

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $L7FLOW_DB, else ./l7flow.sqlite).")
    var db: String?

    /// The database path in effect.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["L7FLOW_DB"], !env.isEmpty { return env }
        return "l7flow.sqlite"
    }
}

/// A failure already explained to the user: exit with status 1.
struct Failure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

@main
enum Main {
    static func main() {
        do {
            var command = try L7flow.parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            Output.error(failure.message)
            exit(1)
        } catch {
            let code = L7flow.exitCode(for: error)
            let message = L7flow.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            Output.error(message)
            // Usage errors exit with 2, as the CLI contract says.
            exit(code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2)
        }
    }
}

/// Writing to standard output and standard error.
enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)").utf8))
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
