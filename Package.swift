// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/apple/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ballast",
    products: [
        .executable(name: "ballast", targets: ["ballast"]),
        .library(name: "Exposition", targets: ["Exposition"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Policy", targets: ["Policy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Prometheus text / OpenMetrics parser and writer: pure, byte level, no dependencies.
        .target(name: "Exposition", swiftSettings: swiftSettings),
        // The one duration grammar (Prometheus' model.ParseDuration) for PromQL, the API and policies.
        .target(name: "Durations", swiftSettings: swiftSettings),
        // The system SQLite, reached through its C API where the store is hot.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The embedded time-series store.
        .target(name: "Store", dependencies: ["Exposition", "CSQLite"], swiftSettings: swiftSettings),
        // PromQL subset evaluated over the store.
        .target(name: "Query", dependencies: ["Store", "Durations"], swiftSettings: swiftSettings),
        // Policy model and the pure decision engine: no I/O, no clock, no YAML.
        .target(name: "Policy", dependencies: ["Durations"], swiftSettings: swiftSettings),
        // Policy files: YAML with positions, the schema, every problem as PATH:LINE:COL.
        .target(
            name: "PolicyLoading",
            dependencies: ["Policy", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The thin command-line front end over the library targets.
        .executableTarget(
            name: "ballast",
            dependencies: [
                "Exposition", "Store", "Query", "Policy", "PolicyLoading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"], swiftSettings: swiftSettings),
        // Helpers the test targets share: temporary directories, the built executable, a seeded generator.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Exposition", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "PolicyLoading", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyLoadingTests", dependencies: ["PolicyLoading", "Policy", "TestSupport"], swiftSettings: swiftSettings),
        // Runs the built executable to hold the command-line contracts of DESIGN.md §3.
        .testTarget(name: "BallastCommandTests", dependencies: ["ballast", "TestSupport"], swiftSettings: swiftSettings),
    ]
)
