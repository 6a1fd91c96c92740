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
        subcommands: [Init.self, List.self, Show.self, Validate.self, Run.self, Primitives.self, Import.self, Export.self,
                      Edit.self, History.self, Diff.self, Revert.self, Simulate.self, DispatchList.self]
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
            var command = try L7flow.parseAsRoot(globalOptionsMovedAfterCommand(Array(CommandLine.arguments.dropFirst())))
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

/// `l7flow --db X run ...` is how DESIGN.md writes the global option; each subcommand parses it,
/// so a leading `--db X` (or `--db=X`) moves after the subcommand's name.
func globalOptionsMovedAfterCommand(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var rest = arguments[...]
    while let first = rest.first {
        if first == "--db", rest.count >= 2 {
            leading += rest.prefix(2)
            rest = rest.dropFirst(2)
        } else if first.hasPrefix("--db=") {
            leading.append(first)
            rest = rest.dropFirst()
        } else {
            break
        }
    }
    guard !leading.isEmpty, let command = rest.first else { return arguments }
    return [command] + leading + rest.dropFirst()
}

/// Writing to standard output and standard error.
enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)").utf8))
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
