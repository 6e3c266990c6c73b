@testable import Policy

/// Shared builders for engine tests: addresses, instants and signals without ceremony.
enum EngineFixtures {
    /// A validated address; test inputs are known good.
    static func address(_ text: String) -> BackendAddress {
        try! BackendAddress(parsing: text)
    }

    /// `count` loopback addresses on consecutive ports from 9001.
    static func addresses(_ count: Int) -> [BackendAddress] {
        (0..<count).map { address("127.0.0.1:\(9001 + $0)") }
    }

    /// The instant `seconds` after the test epoch.
    static func at(_ seconds: Int64) -> PolicyInstant {
        .seconds(1_700_000_000 + seconds)
    }

    /// A backend that was scraped and reports `values`, all measured at `time`.
    static func backend(up: Bool = true, _ values: [String: Double], at time: PolicyInstant) -> BackendSignals {
        BackendSignals(up: up, values: values.mapValues { SignalSample(value: $0, timestamp: time) })
    }
}
