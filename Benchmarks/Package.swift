// swift-tools-version: 6.1
// Benchmarks of the engine and the command line, kept out of the main package so its builds and
// tests never fetch or build the benchmark framework.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "l7flow-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // The main package by its path. Without `name:` SwiftPM would know it by its folder's
        // name (main, wt-perf, ...); with it, `package: "l7flow"` works in any checkout.
        .package(name: "l7flow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The anchor chart, its packets, the same chart hand-written, the bundled charts and cases.
        .target(name: "BenchmarkFixtures", dependencies: [.product(name: "L7flowEngine", package: "l7flow")]),
        // The benchmarks (ordo-one/benchmark finds them under Benchmarks/).
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "L7flowEngine", package: "l7flow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The same workloads in a plain process, for instruction-counting profilers.
        .executableTarget(
            name: "engine-profile",
            dependencies: ["BenchmarkFixtures", .product(name: "L7flowEngine", package: "l7flow")]),
        // A generated network: 1,000 DHCP clients on 10 LANs behind one relay. Prints events per second.
        .executableTarget(
            name: "l7flow-sim-bench",
            dependencies: [
                .product(name: "L7flowEngine", package: "l7flow"),
                .product(name: "L7flowSimulator", package: "l7flow"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
