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
        // The exposition parser is useful on its own; the other targets share `package` API only.
        .library(name: "Exposition", targets: ["Exposition"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The traits pull swift-configuration, which Ballast does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Prometheus text / OpenMetrics parser and writer: pure, byte level, no dependencies.
        .target(name: "Exposition", swiftSettings: swiftSettings),
        // The one duration grammar (Prometheus' model.ParseDuration) for PromQL, the API and policies.
        .target(name: "Durations", swiftSettings: swiftSettings),
        // The system SQLite, reached through its C API where the store is hot.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // glibc's malloc_trim, for the daemon to give freed memory back.
        .systemLibrary(name: "CMalloc"),
        // Debian's RE2 (libre2-dev) behind a C interface: Go's regexp, as Prometheus uses it.
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
        // Regular expressions with Go's syntax in linear time, for label matchers and label_replace.
        .target(name: "Regexp", dependencies: ["CRE2"], swiftSettings: swiftSettings),
        // Files and streams as commands read them (FIFOs, /dev/stdin, `-`), with PATH: reason errors.
        .target(name: "InputFiles", swiftSettings: swiftSettings),
        // The embedded time-series store.
        .target(name: "Store", dependencies: ["Exposition", "CSQLite", "Regexp"], swiftSettings: swiftSettings),
        // PromQL subset evaluated over the store.
        .target(name: "Query", dependencies: ["Store", "Durations", "Regexp"], swiftSettings: swiftSettings),
        // Policy model and the pure decision engine: no I/O, no clock, no YAML.
        .target(name: "Policy", dependencies: ["Durations"], swiftSettings: swiftSettings),
        // Policy files: YAML with positions, the schema, every problem as PATH:LINE:COL.
        .target(
            name: "PolicyLoading",
            dependencies: ["Policy", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The system libcurl (libcurl4-openssl-dev), with typed wrappers for its variadic setters.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // HTTP requests on libcurl's multi event loop (libcurl only here): scrapes and remote queries.
        .target(name: "HTTPFetch", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // A client of Prometheus-compatible HTTP APIs: remote signals and replay's history.
        .target(name: "RemoteQuery", dependencies: ["HTTPFetch", "Query", "Store"], swiftSettings: swiftSettings),
        // Scraping: targets, the scrape loops and report series.
        .target(
            name: "Collector",
            dependencies: [
                "Exposition", "Store", "HTTPFetch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // A simulated backend with a real capacity limit (`ballast sim-backend`, the demo, benchmarks).
        .target(name: "SimBackend", swiftSettings: swiftSettings),
        // Replay: the engine over a load trace in simulated time, the load and queueing model.
        .target(name: "Replay", dependencies: ["Policy", "Query", "Store"], swiftSettings: swiftSettings),
        // Appliers: nginx files, the HAProxy Runtime API, exec hooks (swift-subprocess only here).
        .target(
            name: "Apply",
            dependencies: [
                "Policy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        // The control loop: signals into the engine, decisions and state persisted, appliers.
        .target(
            name: "Control",
            dependencies: [
                "Policy", "Query", "Store", "Collector", "Apply", "RemoteQuery", "HTTPFetch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HA pair's leader lease and shared engine states in PostgreSQL (postgres-nio only here).
        .target(
            name: "Coordination",
            dependencies: [
                "Control", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API (Hummingbird only here): Prometheus' endpoints over the store, targets,
        // Ballast's own /metrics, health and readiness.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Query", "Store", "Collector", "Control", "Policy", "Durations", "SimBackend",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The daemon's parts that are neither HTTP nor scraping: configuration, policies to
        // targets, reload, store maintenance, logging and process metrics.
        .target(
            name: "Daemon",
            dependencies: [
                "Collector", "HTTPFetch", "Store", "Policy", "PolicyLoading", "InputFiles", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // `ballast demo`: the stack on loopback, the daily load, the scripted story, its scale hook.
        .target(name: "Demo", dependencies: ["Collector", "Control", "HTTPFetch"], swiftSettings: swiftSettings),
        // The thin command-line front end over the library targets.
        .executableTarget(
            name: "ballast",
            dependencies: [
                "Exposition", "Store", "Query", "Policy", "PolicyLoading", "Collector", "HTTPFetch", "RemoteQuery", "Control", "Coordination", "Apply", "Replay", "HTTPAPI", "Daemon", "SimBackend", "Demo", "InputFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: [
                // The release binary is a PIE of ~180 MB whose 3.3 MB of relative relocations and
                // 3.7 MB of exported symbols (the static stdlib's link file exports every symbol of
                // the executable) the loader reads at every start and which then stay resident:
                // lld packs the relocations (DT_RELR, glibc 2.36) and nothing is exported (no
                // plugin loads symbols from it). 6 MB less RSS, measured by /proc/PID/status
                // under `scripts/bench/collector.sh`'s load.
                .unsafeFlags(
                    [
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xlinker", "--no-export-dynamic",
                    ],
                    .when(platforms: [.linux], configuration: .release)
                )
            ]
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CollectorTests",
            dependencies: [
                "Collector", "HTTPFetch", "Store", "Exposition", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers the test targets share: temporary directories, the built executable, a seeded generator.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "DaemonTests",
            dependencies: ["Daemon", "Collector", "HTTPFetch", "Policy", "PolicyLoading", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Policy", "PolicyLoading", "Query", "Store", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RemoteQueryTests",
            dependencies: ["RemoteQuery", "HTTPFetch", "Query", "Store", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinationTests",
            dependencies: [
                "Coordination", "Control", "Store", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SimBackendTests", dependencies: ["SimBackend", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPAPITests", dependencies: ["HTTPAPI", "Control"], swiftSettings: swiftSettings),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "Policy", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Exposition", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "PolicyLoading", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyLoadingTests", dependencies: ["PolicyLoading", "Policy", "TestSupport"], swiftSettings: swiftSettings),
        // Runs the built executable to hold the command-line contracts of DESIGN.md §3.
        .testTarget(name: "BallastCommandTests", dependencies: ["ballast", "Query", "TestSupport"], swiftSettings: swiftSettings),
    ],
    // RE2's headers need C++17 (std::string_view).
    cxxLanguageStandard: .cxx17
)

// Benchmarks: package-benchmark suites (`Benchmarks/<Suite>`) and the tools `scripts/bench/` runs.
// They build only with BALLAST_BENCHMARKS=1, as Hummingbird gates its own, so the tests and CI
// never resolve package-benchmark; being in this package, they reach `package` API. Run a suite
// with `BALLAST_BENCHMARKS=1 swift package --disable-sandbox benchmark --target NAME`.
if Context.environment["BALLAST_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    )
    func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(
            name: name,
            dependencies: dependencies + [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/\(name)",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
    func tool(_ name: String, path: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(name: name, dependencies: dependencies, path: "Benchmarks/Tools/\(path)", swiftSettings: swiftSettings)
    }
    package.targets += [
        // Inputs and visitors shared by the parser benchmark and the throughput tool.
        .target(
            name: "ExpositionBenchSupport",
            dependencies: ["Exposition"],
            path: "Benchmarks/Support/ExpositionBenchSupport",
            swiftSettings: swiftSettings
        ),
        // Parser throughput and allocations on the upstream benchmark input and a 50 MB exposition.
        suite("ExpositionParsing", ["ExpositionBenchSupport", "Exposition"]),
        // One policy-engine evaluation of a 100-backend pool against the 50 µs budget.
        suite("PolicyEngine", ["Policy"]),
        // The PromQL engine over in-memory series: a 24 h range query of 100 series, a policy's instant signal.
        suite("QueryEvaluation", ["Query", "Store"]),
        // MB/s on one file, printed in the same form as the Go expfmt harness (scripts/bench/parse.sh).
        tool("parse-throughput", path: "ParseThroughput", ["ExpositionBenchSupport", "Exposition"]),
        // The store's scrape path (scripts/bench/store.sh): append latency with and without maintenance.
        tool("store-append", path: "StoreAppend", ["Store"]),
        // Range-read latency of the store (scripts/bench/store.sh): 24 h of 100 series.
        tool("store-read", path: "StoreRead", ["Store"]),
        // nginx with sim backends: round robin vs least_conn vs Ballast's weights, scale-out (scripts/bench/e2e.sh).
        tool("e2e-bench", path: "EndToEnd", ["Demo", "Collector"]),
        // Decision → proxy carrying it, nginx and HAProxy, beside their peer tools (scripts/bench/apply.sh).
        tool(
            "apply-latency",
            path: "ApplyLatency",
            ["Apply", "Policy", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
    ]
}

// Fuzzers (scripts/fuzz.sh): libFuzzer entry points over PromQL and the policy loader, built by
// SwiftPM with `--sanitize=fuzzer --sanitize=address` only when BALLAST_FUZZ=1. libFuzzer brings
// `main`, so they are compiled as libraries (`-parse-as-library`).
if Context.environment["BALLAST_FUZZ"] != nil {
    func fuzzer(_ name: String, path: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(
            name: name,
            dependencies: dependencies,
            path: "Fuzz/\(path)",
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]
        )
    }
    package.targets += [
        fuzzer("promql-fuzzer", path: "PromQLFuzzer", ["Query", "Store"]),
        fuzzer("policy-fuzzer", path: "PolicyFuzzer", ["Policy", "PolicyLoading", "Query"]),
    ]
}
