import ArgumentParser
import FlowEngine
import FlowFuzz
import Foundation

/// The input being run, for the crash message (read by the signal handler).
nonisolated(unsafe) var currentInput = -1
nonisolated(unsafe) var currentSeed: UInt64 = 0

/// On a crash signal: names the input (with async-signal-safe calls only), then lets the default
/// handling (and Swift's backtrace) go on.
func reportCrash(_ signal: Int32) {
    func put(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
    func put(_ number: UInt64) {
        var digits: [UInt8] = Array(repeating: 0, count: 24)
        var n = number
        var i = digits.count
        repeat {
            i -= 1
            digits[i] = UInt8(48 + n % 10)
            n /= 10
        } while n > 0
        digits.withUnsafeBufferPointer { _ = write(2, $0.baseAddress! + i, $0.count - i) }
    }
    put("\nCRASH at input ")
    put(UInt64(max(currentInput, 0)))
    put(" of seed ")
    put(currentSeed)
    put(" (replay it with --replay)\n")
    Foundation.signal(signal, SIG_DFL)
    raise(signal)
}

@main
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l7flow-fuzz",
        abstract:
            "Seeded mutational fuzzing of the engine: contexts, events, chart text, JSON and paths, run in this process.",
        discussion: """
            Inputs are made from the bundled charts and the golden cases' contexts and events; input N of a seed is always the \
            same. A crash ends the process and names the input; an input running longer than --hang-seconds ends it with exit 3.
            """)

    @Option(help: "How many inputs to run.") var iterations = 100_000
    @Option(help: "The seed of the inputs.") var seed: UInt64 = 1
    @Option(help: "The number of the first input.") var start = 0
    @Option(help: "Run only this input, and print it and how it ended.") var replay: Int?
    @Option(help: "Seconds after which one input counts as a hang (exit 3).") var hangSeconds = 10
    @Option(help: "Seconds after which one input is reported as slow.") var slowSeconds = 1.0
    @Option(help: "The step budget of every run.") var maxSteps = 20_000
    @Option(help: "The checkout holding Flowcharts/ and Tests/Cases/ (default: the one this tool was built from).")
    var root: String?

    func run() throws {
        let corpus = try FuzzCorpus(root: root.map { URL(fileURLWithPath: $0) } ?? FuzzCorpus.packageRoot)
        let fuzzer = Fuzzer(
            corpus: corpus, seed: seed, options: MachineOptions(stepBudget: maxSteps),
            slowInput: .milliseconds(Int(slowSeconds * 1000)))
        if let replay {
            let input = FuzzInput.make(seed: seed, index: replay, corpus: corpus)
            print(input)
            print(fuzzer.run(replay..<replay + 1))
            return
        }
        currentSeed = seed
        for s in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT] { signal(s) { reportCrash($0) } }
        currentInput = start
        let watchdog = Watchdog(limit: .seconds(hangSeconds), seed: seed)
        let report = fuzzer.run(start..<start + iterations, watchdog: watchdog) { index, report in
            currentInput = index + 1
            if (index - start + 1) % 100_000 == 0 {
                print("\(index - start + 1) inputs, \(report.violations.count) violations, \(report.slow.count) slow")
            }
        }
        print(report)
        if !report.violations.isEmpty || !report.slow.isEmpty { throw ExitCode(1) }
    }
}
