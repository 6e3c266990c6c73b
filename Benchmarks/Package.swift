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
            dependencies: [.product(name: "Exposition", package: "ballast")],
            path: "Support/ExpositionBenchSupport",
            swiftSettings: swiftSettings
        ),
        // Parser throughput and allocations on the upstream benchmark input and a 50 MB exposition.
        .executableTarget(
            name: "ExpositionParsing",
            dependencies: [
                "ExpositionBenchSupport",
                .product(name: "Exposition", package: "ballast"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ExpositionParsing",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One policy-engine evaluation of a 100-backend pool against the 50 µs budget.
        .executableTarget(
            name: "PolicyEngine",
            dependencies: [
                .product(name: "Policy", package: "ballast"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyEngine",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The PromQL engine over in-memory series: a 24 h range query of 100 series, a policy's instant signal.
        .executableTarget(
            name: "QueryEvaluation",
            dependencies: [
                .product(name: "Query", package: "ballast"),
                .product(name: "Store", package: "ballast"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/QueryEvaluation",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // MB/s on one file, printed in the same form as the Go expfmt harness (scripts/bench/parse.sh).
        .executableTarget(
            name: "parse-throughput",
            dependencies: ["ExpositionBenchSupport", .product(name: "Exposition", package: "ballast")],
            path: "Tools/ParseThroughput",
            swiftSettings: swiftSettings
        ),
        // The store's scrape path (scripts/bench/store.sh): appends per scrape, head compaction.
        .executableTarget(
            name: "store-append",
            dependencies: [.product(name: "Store", package: "ballast")],
            path: "Tools/StoreAppend",
            swiftSettings: swiftSettings
        ),
        // Range-read latency of the store (scripts/bench/store.sh): 24 h of 100 series.
        .executableTarget(
            name: "store-read",
            dependencies: [.product(name: "Store", package: "ballast")],
            path: "Tools/StoreRead",
            swiftSettings: swiftSettings
        ),
    ]
)
