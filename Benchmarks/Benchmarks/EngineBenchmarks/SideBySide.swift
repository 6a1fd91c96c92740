import BenchmarkFixtures
import Benchmark
import FlowchartModel

/// Times the engine (trace off and on) and the hand-written chart on the same 8 packets, one
/// after the other in the same iteration, so the figures are printed side by side.
enum SideBySide {
    static let untraced = BenchmarkMetric.custom("l7flow trace off (decisions/s; target >= 20 M)", polarity: .prefersLarger, useScalingFactor: false)
    static let traced = BenchmarkMetric.custom("l7flow trace on (decisions/s; target >= 5 M)", polarity: .prefersLarger, useScalingFactor: false)
    static let typed = BenchmarkMetric.custom("hand-written Swift, typed structs (decisions/s)", polarity: .prefersLarger, useScalingFactor: false)
    static let onValues = BenchmarkMetric.custom("hand-written Swift, same context values (decisions/s)", polarity: .prefersLarger, useScalingFactor: false)
    static let ratio = BenchmarkMetric.custom("hand-written typed / l7flow trace off (x; target <= 3)", polarity: .prefersSmaller, useScalingFactor: false)

    static let metrics = [untraced, traced, typed, onValues, ratio]

    /// Decisions per second of `cycles` passes of `body` over the 8 packets.
    static func rate(cycles: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<cycles { body() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(cycles * Anchor.decisionsPerCycle) / seconds
    }

    static func measure(_ benchmark: Benchmark) {
        let packets = Anchor.packets
        let typedInputs = packets.map { HandWrittenAnchor.Input($0.context) }
        let engine = rate(cycles: 2_000) { for p in packets { blackHole(Anchor.run(p, traced: false)) } }
        let engineTraced = rate(cycles: 1_000) { for p in packets { blackHole(Anchor.run(p, traced: true)) } }
        let handTyped = rate(cycles: 200_000) {
            for input in typedInputs { blackHole(HandWrittenAnchor.decide(input.packet, input.iface).1) }
        }
        let handValues = rate(cycles: 20_000) { for p in packets { blackHole(HandWrittenAnchor.decide(p.context).1) } }
        benchmark.measurement(untraced, Int(engine))
        benchmark.measurement(traced, Int(engineTraced))
        benchmark.measurement(typed, Int(handTyped))
        benchmark.measurement(onValues, Int(handValues))
        benchmark.measurement(ratio, Int((handTyped / engine).rounded()))
    }
}
