import Foundation

/// Ends the process when one input runs longer than `limit`: an input that never finishes is a
/// hang, and the process cannot interrupt a run it is executing. The input's number is printed so
/// that `--replay` makes it again.
public final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (index: Int, since: ContinuousClock.Instant)?
    private let limit: Duration
    private let seed: UInt64

    public init(limit: Duration, seed: UInt64) {
        self.limit = limit
        self.seed = seed
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    /// Marks the start of input `index`.
    public func started(_ index: Int) {
        lock.lock()
        current = (index, ContinuousClock.now)
        lock.unlock()
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.1)
            lock.lock()
            let running = current
            lock.unlock()
            if let running, ContinuousClock.now - running.since > limit {
                FileHandle.standardError.write(
                    Data(
                        "HANG: input \(running.index) of seed \(seed) ran longer than \(limit); replay it with --seed \(seed) --replay \(running.index)\n"
                            .utf8))
                exit(3)
            }
        }
    }
}
