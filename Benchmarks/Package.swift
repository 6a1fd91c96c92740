// swift-tools-version: 6.0
// Benchmarks of the interpreter, kept out of the main package so CI never builds them.
// Run: cd Benchmarks && swift run -c release l7flow-bench
import PackageDescription

let package = Package(
    name: "l7flow-benchmarks",
    platforms: [.macOS(.v13)],
    // The main package is named after its folder (main in a checkout of that name).
    dependencies: [.package(name: "main", path: "..")],
    targets: [
        .executableTarget(
            name: "l7flow-bench",
            dependencies: [
                .product(name: "L7flowEngine", package: "main"),
            ]
        ),
        // A generated network: 1,000 DHCP clients on 10 LANs behind one relay. Prints events per second.
        .executableTarget(
            name: "l7flow-sim-bench",
            dependencies: [
                .product(name: "L7flowEngine", package: "main"),
                .product(name: "L7flowSimulator", package: "main"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
