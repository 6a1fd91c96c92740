import Benchmark
import BenchmarkFixtures
import FlowchartModel

/// Times the engine (trace off and on) and the hand-written chart on the same 8 packets, one
/// after the other in the same iteration, so the figures are printed side by side.
enum SideBySide {
    static let untraced = BenchmarkMetric.custom(
        "l7flow trace off (decisions/s; target >= 20 M)", polarity: .prefersLarger, useScalingFactor: false)
    static let traced = BenchmarkMetric.custom(
        "l7flow trace on (decisions/s; target >= 5 M)", polarity: .prefersLarger, useScalingFactor: false)
    static let typed = BenchmarkMetric.custom(
        "hand-written Swift, typed structs (decisions/s)", polarity: .prefersLarger, useScalingFactor: false)
    static let onValues = BenchmarkMetric.custom(
        "hand-written Swift, same context values (decisions/s)", polarity: .prefersLarger, useScalingFactor: false)
    static let ratio = BenchmarkMetric.custom(
        "hand-written typed / l7flow trace off (x; target <= 3)", polarity: .prefersSmaller, useScalingFactor: false)

    static let metrics = [untraced, traced, typed, onValues, ratio]

    /// Decisions per second of `body`, which returns the decisions it took.
    static func rate(_ body: () -> Int) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let decisions = body()
        let elapsed = clock.now - start
        return Double(decisions) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// `cycles` passes of the engine over the 8 packets, a fresh run per packet.
    static func engine(cycles: Int, traced: Bool) -> Int {
        var decisions = 0
        for _ in 0..<cycles {
            for packet in Anchor.packets {
                blackHole(Anchor.run(packet, traced: traced))
                decisions += packet.decisions
            }
        }
        return decisions
    }

    static func measure(_ benchmark: Benchmark) {
        let typedInputs = Anchor.packets.map { HandWrittenAnchor.Input($0.context) }
        let contexts = Anchor.packets.map(\.context)
        let engine = rate { SideBySide.engine(cycles: 4_000, traced: false) }
        let engineTraced = rate { SideBySide.engine(cycles: 2_000, traced: true) }
        let handTyped = rate { HandWrittenAnchor.run(cycles: 400_000, typedInputs) }
        let handValues = rate { HandWrittenAnchor.run(cycles: 40_000, contexts) }
        benchmark.measurement(untraced, Int(engine))
        benchmark.measurement(traced, Int(engineTraced))
        benchmark.measurement(typed, Int(handTyped))
        benchmark.measurement(onValues, Int(handValues))
        benchmark.measurement(ratio, Int((handTyped / engine).rounded()))
    }
}
