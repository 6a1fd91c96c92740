import FlowEngine
import Foundation

/// Runs seeded inputs one after another in this process and counts how each ended. A crash ends
/// the process (that is the point: nothing catches it); `Watchdog` ends it on a hang.
public struct Fuzzer: Sendable {
    public let corpus: FuzzCorpus
    public let seed: UInt64
    /// The machine's limits for every run (the step budget is what stops a loop).
    public let options: MachineOptions
    /// An input that takes longer than this is reported as slow.
    public let slowInput: Duration

    public init(
        corpus: FuzzCorpus, seed: UInt64, options: MachineOptions = MachineOptions(stepBudget: 20_000),
        slowInput: Duration = .seconds(1)
    ) {
        self.corpus = corpus
        self.seed = seed
        self.options = options
        self.slowInput = slowInput
    }

    /// Runs inputs `range`; `watchdog` (when given) is told when each starts, `progress` is called
    /// after each with its number.
    public func run(_ range: Range<Int>, watchdog: Watchdog? = nil, progress: (Int, FuzzReport) -> Void = { _, _ in })
        -> FuzzReport
    {
        var report = FuzzReport(seed: seed)
        let clock = ContinuousClock()
        for index in range {
            watchdog?.started(index)
            let input = FuzzInput.make(seed: seed, index: index, corpus: corpus)
            let start = clock.now
            let outcome = input.execute(corpus: corpus, options: options)
            let elapsed = clock.now - start
            report.record(index: index, kind: input.kind, outcome: outcome, elapsed: elapsed, slow: elapsed > slowInput)
            progress(index, report)
        }
        return report
    }
}

/// What a fuzzing run found.
public struct FuzzReport: Sendable, CustomStringConvertible {
    public let seed: UInt64
    public private(set) var inputs = 0
    /// Inputs by kind, and of those how many were refused with an error.
    public private(set) var byKind: [String: (inputs: Int, refused: Int)] = [:]
    /// Inputs that broke a promise of the engine: (input number, what).
    public private(set) var violations: [(index: Int, message: String)] = []
    /// Inputs slower than the fuzzer's bound: (input number, seconds).
    public private(set) var slow: [(index: Int, seconds: Double)] = []
    public private(set) var slowest: (index: Int, seconds: Double) = (-1, 0)
    public private(set) var totalSeconds = 0.0

    init(seed: UInt64) { self.seed = seed }

    mutating func record(index: Int, kind: String, outcome: FuzzOutcome, elapsed: Duration, slow isSlow: Bool) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        inputs += 1
        totalSeconds += seconds
        var counts = byKind[kind] ?? (0, 0)
        counts.inputs += 1
        switch outcome {
        case .accepted: break
        case .refused: counts.refused += 1
        case .violation(let message): violations.append((index, message))
        }
        byKind[kind] = counts
        if isSlow { slow.append((index, seconds)) }
        if seconds > slowest.seconds { slowest = (index, seconds) }
    }

    public var description: String {
        var out =
            "seed \(seed): \(inputs) inputs in \(String(format: "%.1f", totalSeconds)) s, 0 crashes (the process is alive), "
            + "\(slow.count) slow, \(violations.count) violations\n"
        for kind in byKind.keys.sorted() {
            let c = byKind[kind]!
            out += "  \(kind): \(c.inputs) inputs, \(c.refused) refused with an error\n"
        }
        if slowest.index >= 0 {
            out += "  slowest: input \(slowest.index), \(String(format: "%.3f", slowest.seconds)) s\n"
        }
        for s in slow.prefix(20) { out += "  slow: input \(s.index), \(String(format: "%.3f", s.seconds)) s\n" }
        for v in violations.prefix(20) { out += "  violation: input \(v.index): \(v.message)\n" }
        return out
    }
}
