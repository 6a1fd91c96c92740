import Foundation

/// Runs the built `l7flow` executable, as a user would.
struct Binary {
    /// The products folder holding `l7flow` (beside the test bundle).
    static let url: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("l7flow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            for bundle in Bundle.allBundles {
                let c = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("l7flow")
                if FileManager.default.isExecutableFile(atPath: c.path) { return c }
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/l7flow")
    }()

    /// What a run printed and how it exited.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `l7flow` with the arguments in `directory`, with `L7FLOW_DB` unset unless given.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], stdin: String? = nil)
        throws -> Result
    {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "L7FLOW_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh empty folder for one test.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l7flow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Removes a test's folder (and the database in it).
    static func remove(_ dir: URL) {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Writes a JSON or text file into `dir`.
    static func write(_ text: String, to name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
