// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "l7flow",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "l7flow", targets: ["l7flow"]),
        // The engine for programs that embed it (a simulator, the benchmarks).
        .library(name: "L7flowEngine", targets: ["FlowchartModel", "FlowEngine", "Protocols"]),
        // The simulator with the chart store it reads charts and dispatch rows from (the benchmarks).
        .library(name: "L7flowSimulator", targets: ["Simulator", "FlowStore", "FlowRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // The system SQLite (libsqlite3-dev).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // A thin, typed wrapper over the SQLite C API.
        .target(name: "SQLiteKit", dependencies: ["CSQLite"]),
        // Values, paths, the call notation, charts, their text format and the validator.
        .target(name: "FlowchartModel"),
        // Registry, compiler, resumable machine and trace.
        .target(name: "FlowEngine", dependencies: ["FlowchartModel"]),
        // Protocol primitives (one file per protocol) and the message catalogue.
        .target(name: "Protocols", dependencies: ["FlowEngine", "FlowchartModel"]),
        // Generates Swift source holding Migrations/ and Flowcharts/, so they ship inside the binary.
        .executableTarget(name: "embed-resources", path: "Sources/EmbedResources"),
        .plugin(name: "EmbedBundled", capability: .buildTool(), dependencies: ["embed-resources"]),
        // Schema, migrations, import/export and revisions of charts in SQLite.
        .target(name: "FlowStore", dependencies: ["SQLiteKit", "FlowchartModel"], plugins: ["EmbedBundled"]),
        // What runs show about charts: diagrams with the taken path lit, coverage, behaviour diffs.
        .target(name: "FlowInsight", dependencies: ["FlowEngine", "FlowchartModel"]),
        // Charts kept compiled and fresh in a long-running process (run --watch, the simulator).
        .target(name: "FlowRuntime", dependencies: ["FlowStore", "FlowEngine", "Protocols", "FlowchartModel"]),
        // Many devices on LANs on one virtual clock, the charts as the only behaviour (SIMULATION.md).
        .target(name: "Simulator", dependencies: ["FlowEngine", "Protocols", "FlowchartModel"]),
        // The command-line tool.
        .executableTarget(
            name: "l7flow",
            dependencies: [
                "FlowStore", "FlowEngine", "Protocols", "FlowchartModel", "FlowRuntime", "FlowInsight", "CaseSupport",
                "Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit"]),
        .testTarget(name: "FlowchartModelTests", dependencies: ["FlowchartModel"]),
        .testTarget(name: "FlowInsightTests", dependencies: ["FlowInsight", "FlowEngine", "FlowchartModel"]),
        .testTarget(
            name: "FlowStoreTests",
            dependencies: ["FlowStore", "SQLiteKit", "FlowchartModel", "FlowRuntime", "FlowEngine"]),
        // Case files in the spec's test-case form and their matcher (the tests, coverage and behaviour diffs use them).
        .target(name: "CaseSupport", dependencies: ["FlowchartModel"]),
        .testTarget(
            name: "FlowEngineTests", dependencies: ["FlowEngine", "Protocols", "FlowchartModel", "CaseSupport"]),
        // Seeded mutational fuzzing of the engine: the library, the `l7flow-fuzz` tool that runs it at
        // length, and a brief seeded batch with the regression inputs among the tests.
        .target(name: "FlowFuzz", dependencies: ["FlowEngine", "Protocols", "FlowchartModel", "CaseSupport"]),
        .executableTarget(
            name: "l7flow-fuzz",
            dependencies: [
                "FlowFuzz", "FlowEngine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FuzzTests", dependencies: ["FlowFuzz", "FlowEngine", "Protocols", "FlowchartModel"]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "FlowStore", "FlowRuntime", "FlowEngine", "FlowchartModel"]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["l7flow", "CaseSupport", "FlowchartModel", "SQLiteKit", "FlowStore"]),
    ],
    swiftLanguageModes: [.v6]
)
