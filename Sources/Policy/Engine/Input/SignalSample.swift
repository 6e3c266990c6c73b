/// One signal value and when it was measured, so the engine can tell a fresh reading from a
/// stale one (a backend that stopped reporting keeps its last series value in PromQL for minutes).
package struct SignalSample: Sendable, Hashable, Codable {
    /// The value; NaN counts as missing.
    package var value: Double
    /// When the value was measured.
    package var timestamp: PolicyInstant

    /// Creates a sample.
    package init(value: Double, timestamp: PolicyInstant) {
        self.value = value
        self.timestamp = timestamp
    }
}
