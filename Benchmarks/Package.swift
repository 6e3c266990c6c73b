// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that the main package builds and tests without
// package-benchmark. Each suite is an executable target under Benchmarks/<Name>/ using the
// BenchmarkPlugin; run them with `swift package --disable-sandbox benchmark` in this directory.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A product of the package under test.
func ballast(_ product: String) -> Target.Dependency {
    .product(name: product, package: "ballast")
}

/// A package-benchmark suite: an executable under Benchmarks/<name>/ run by the BenchmarkPlugin.
func benchmarkSuite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + [.product(name: "Benchmark", package: "benchmark")],
        path: "Benchmarks/\(name)",
        swiftSettings: swiftSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "BallastBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ballast", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Inputs and visitors shared by the parser benchmark and the throughput tool.
        .target(
            name: "ExpositionBenchSupport",
            dependencies: [ballast("Exposition")],
            path: "Support/ExpositionBenchSupport",
            swiftSettings: swiftSettings
        ),
        // Parser throughput and allocations on the upstream benchmark input and a 50 MB exposition.
        benchmarkSuite("ExpositionParsing", ["ExpositionBenchSupport", ballast("Exposition")]),
        // One policy-engine evaluation of a 100-backend pool against the 50 µs budget.
        benchmarkSuite("PolicyEngine", [ballast("Policy")]),
        // The PromQL engine over in-memory series: a 24 h range query of 100 series, a policy's instant signal.
        benchmarkSuite("QueryEvaluation", [ballast("Query"), ballast("Store")]),
        // MB/s on one file, printed in the same form as the Go expfmt harness (scripts/bench/parse.sh).
        .executableTarget(
            name: "parse-throughput",
            dependencies: ["ExpositionBenchSupport", ballast("Exposition")],
            path: "Tools/ParseThroughput",
            swiftSettings: swiftSettings
        ),
        // The store's scrape path (scripts/bench/store.sh): appends per scrape, head compaction.
        .executableTarget(
            name: "store-append",
            dependencies: [ballast("Store")],
            path: "Tools/StoreAppend",
            swiftSettings: swiftSettings
        ),
        // Range-read latency of the store (scripts/bench/store.sh): 24 h of 100 series.
        .executableTarget(
            name: "store-read",
            dependencies: [ballast("Store")],
            path: "Tools/StoreRead",
            swiftSettings: swiftSettings
        ),
    ]
)
