import BenchmarkFixtures
import FlowchartModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `l7flow run` of one chart on one packet, from process start to exit, on a database that is
/// already created and unchanged: a release binary of the main package, brought up to date first.
struct CLIStartup {
    /// How the binary is built.
    enum Build {
        /// `swift build -c release`: the Swift runtime and Foundation as shared libraries.
        case shared
        /// `swift build -c release --static-swift-stdlib`, into `.build-static`: linked in.
        case staticStdlib

        var folder: String { self == .shared ? ".build" : ".build-static" }
        var flags: [String] { self == .shared ? [] : ["--static-swift-stdlib", "--scratch-path", ".build-static"] }
    }

    let binary: String
    let arguments: [String]

    /// Builds the binary (incrementally: nothing when it is up to date), creates the database and
    /// writes the worked example's context.
    init(chart: String, build: Build) {
        let root = Fixtures.root.path
        let binary = root + "/\(build.folder)/release/l7flow"
        do {
            let command = ["swift", "build", "-c", "release", "--product", "l7flow"] + build.flags
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
            process.currentDirectoryURL = Fixtures.root
            do { try process.run() } catch { fatalError("cannot start \(command.joined(separator: " ")): \(error)") }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                fatalError("\(command.joined(separator: " ")) failed (status \(process.terminationStatus))")
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "l7flow-startup-\(getpid())-\(build.folder)")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            fatalError("cannot create \(folder.path): \(error)")
        }
        let database = folder.appendingPathComponent("l7flow.sqlite").path
        let context = folder.appendingPathComponent("context.json")
        do {
            try JSON.encode(.map(Fixtures.workedExample(of: chart).context)).write(
                to: context, atomically: true, encoding: .utf8)
        } catch {
            fatalError("cannot write \(context.path): \(error)")
        }
        self.binary = binary
        arguments = ["--db", database, "run", chart, "--context", context.path]
        // The first run creates and seeds the database; the timed ones find it unchanged.
        guard CLIStartup.spawn(binary, arguments, quiet: true) == 0 else {
            fatalError("\(binary) \(arguments.joined(separator: " ")) failed")
        }
    }

    /// Runs the command once; its output goes to /dev/null.
    func run() {
        let status = CLIStartup.spawn(binary, arguments, quiet: true)
        guard status == 0 else { fatalError("l7flow run exited with status \(status)") }
    }

    /// Starts a program and waits for it; returns its exit status.
    static func spawn(_ path: String, _ arguments: [String], quiet: Bool) -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if quiet { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard started == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }
}
