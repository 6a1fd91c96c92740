import Benchmark
import BenchmarkFixtures
import FlowEngine
import FlowchartModel
import Protocols

// The engine's benchmarks (issue 12). Run from the main package's folder:
//   cd Benchmarks && swift package benchmark
// Each target of the issue is named in its benchmark's title or custom metric.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .instructions, .mallocCountTotal],
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
    Anchor.check()

    Benchmark(
        "Anchor chart side by side: l7flow and hand-written Swift",
        configuration: .init(metrics: [.wallClock] + SideBySide.metrics, maxDuration: .seconds(10), maxIterations: 10)
    ) { benchmark in
        SideBySide.measure(benchmark)
    }

    // One iteration is one pass over the 8 packets: 42 decisions, a fresh run per packet.
    Benchmark("Anchor chart, 8 packets, l7flow trace off") { benchmark in
        for packet in Anchor.packets { blackHole(Anchor.run(packet, traced: false)) }
    }
    Benchmark("Anchor chart, 8 packets, l7flow trace on") { benchmark in
        for packet in Anchor.packets { blackHole(Anchor.run(packet, traced: true)) }
    }
    let typedInputs = Anchor.packets.map { HandWrittenAnchor.Input($0.context) }
    Benchmark("Anchor chart, 8 packets, hand-written Swift", configuration: .init(scalingFactor: .kilo)) { benchmark in
        blackHole(HandWrittenAnchor.run(cycles: benchmark.scaledIterations.count, typedInputs))
    }

    // The worked example of dhcp.client.receive: 7 decisions and one action that sends.
    let dhcpPrograms = Fixtures.compile(Fixtures.bundledCharts)
    let example = Fixtures.workedExample(of: "dhcp.client.receive")
    for traced in [false, true] {
        let title =
            traced
            ? "dhcp.client.receive worked example, trace on"
            : "dhcp.client.receive worked example, trace off (target <= 2 us)"
        Benchmark(title) { benchmark in
            do {
                let machine = try Machine(
                    programs: dhcpPrograms, chart: "dhcp.client.receive", context: example.context, traced: traced)
                guard case .ended(let end) = try machine.start(), end.node == example.end else {
                    fatalError("dhcp.client.receive did not reach \(example.end)")
                }
                blackHole(machine.sent)
            } catch {
                fatalError("dhcp.client.receive failed: \(error)")
            }
        }
    }

    let inputs = Fixtures.bundledCharts.map { Compiler.Input($0) }
    Benchmark("Validate and compile all \(inputs.count) bundled charts", configuration: .init(maxIterations: 200)) {
        benchmark in
        do { blackHole(try Compiler(registry: Registry.l7flow).compile(inputs)) } catch {
            fatalError("the bundled charts do not compile: \(error)")
        }
    }

    // No leak: a million fresh runs; the custom metric is the growth of the resident set over them.
    let residentGrowth = BenchmarkMetric.custom(
        "resident set growth over 1 M runs (bytes; target 0)", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        "Memory: 1 M anchor runs, trace off",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal, residentGrowth],
            warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 3)
    ) { benchmark in
        let before = residentBytes()
        for _ in 0..<(1_000_000 / Anchor.packets.count) {
            for packet in Anchor.packets { blackHole(Anchor.run(packet, traced: false)) }
        }
        if let before, let after = residentBytes() { benchmark.measurement(residentGrowth, max(0, after - before)) }
    }

    for build in [CLIStartup.Build.shared, .staticStdlib] {
        let how = build == .shared ? "swift build -c release" : "swift build -c release --static-swift-stdlib"
        Benchmark(
            "CLI: l7flow run dhcp.client.receive on one packet, process start to exit, \(how) (target <= 10 ms)",
            configuration: .init(
                metrics: [.wallClock], warmupIterations: 3, maxDuration: .seconds(10), maxIterations: 200,
                setup: { startups[build] = CLIStartup(chart: "dhcp.client.receive", build: build) })
        ) { benchmark in
            startups[build]?.run()
        }
    }
}

/// The prepared commands of the start-up benchmarks (made in their setup, so only when they run).
nonisolated(unsafe) var startups: [CLIStartup.Build: CLIStartup] = [:]
