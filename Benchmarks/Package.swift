// swift-tools-version: 6.1
// Benchmarks of the engine and the command line, kept out of the main package so its builds and
// tests never fetch or build the benchmark framework.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "l7flow-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // The main package by its path; `.product(package:)` names it by its manifest name,
        // `l7flow`, so the checkout folder may be called anything.
        .package(name: "l7flow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "L7flowEngine", package: "l7flow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
