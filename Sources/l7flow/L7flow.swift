import ArgumentParser
import FlowchartModel
import Foundation

/// The `l7flow` command: protocol flowcharts stored in SQLite, validated, run and traced.
struct L7flow: ParsableCommand {
    /// The release this build is (`l7flow --version`).
    static let version = "0.9.0"

    static let configuration = CommandConfiguration(
        commandName: "l7flow",
        abstract: "Protocol flowcharts as data: edit them in SQLite, validate, run and trace them.",
        discussion: """
            The database defaults to $L7FLOW_DB, else ./l7flow.sqlite; it is created and seeded with the
            bundled charts on first use. --db and --json go before or after any command.
            Exit status: 0 success, 1 invalid chart or input or failed run, 2 usage error.
            Shell completion, chart ids included: l7flow --generate-completion-script bash (or zsh, fish).
            """,
        version: version,
        subcommands: [
            Init.self,
            List.self,
            Show.self,
            Validate.self,
            Run.self,
            Primitives.self,
            Import.self,
            Export.self,
            Edit.self,
            History.self,
            Diff.self,
            Revert.self,
            Coverage.self,
            Traces.self,
            Simulate.self,
            DispatchList.self,
            Bench.self,
        ]
    )

    /// Declared here so that they may come before the command's name; each command declares the
    /// same group, which reads the same values wherever on the line they were given.
    @OptionGroup var global: GlobalOptions
}

/// Options every command takes, before or after its name.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The database file (default: $L7FLOW_DB, else ./l7flow.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print the result as JSON, and any error as {\"error\": {...}} on standard error.")
    var json = false

    /// The database path in effect.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["L7FLOW_DB"], !env.isEmpty { return env }
        return "l7flow.sqlite"
    }
}

/// A command that takes the global options (every command does).
protocol GlobalCommand: ParsableCommand {
    var global: GlobalOptions { get }
}

@main
enum Main {
    static func main() {
        var json = false
        do {
            var command = try L7flow.parseAsRoot()
            json = (command as? any GlobalCommand)?.global.json ?? false
            try command.run()
        } catch let failure as Failure {
            Output.fail(failure, json: json)
            exit(failure.status)
        } catch {
            let code = L7flow.exitCode(for: error)
            let message = L7flow.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Output.line(message) }
                exit(0)
            }
            // A usage error comes before any command was made, so its own flag is not known yet.
            let wantsJSON = json || CommandLine.arguments.dropFirst().prefix { $0 != "--" }.contains("--json")
            // Usage errors exit with 2, as the CLI contract says; anything else a command threw, 1.
            let failure = Failure(message, usage: code != .failure)
            Output.fail(failure, json: wantsJSON)
            exit(failure.status)
        }
    }
}

/// Writing results and errors, as text or JSON. Standard output is flushed after every line
/// (also when it is a pipe or a file), so `run --watch | tee` shows each run as it happens.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func text(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func json(_ value: Value) {
        line(JSON.encode(value, pretty: true))
    }

    /// Text or JSON, as the options ask.
    static func emit(_ global: GlobalOptions, json value: @autoclosure () -> Value, text: @autoclosure () -> String) {
        if global.json { json(value()) } else { Output.text(text()) }
    }

    static func error(_ message: String) {
        let text = message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)"
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func fail(_ failure: Failure, json: Bool) {
        if json {
            FileHandle.standardError.write(Data((JSON.encode(failure.json) + "\n").utf8))
        } else {
            error(failure.message)
        }
    }
}
