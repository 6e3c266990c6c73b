/// One signal value and when it was measured, so the engine can tell a fresh reading from a
/// stale one (a backend that stopped reporting keeps its last series value in PromQL for minutes).
public struct SignalSample: Sendable, Hashable, Codable {
    /// The value; NaN counts as missing.
    public var value: Double
    /// When the value was measured.
    public var timestamp: PolicyInstant

    /// Creates a sample.
    public init(value: Double, timestamp: PolicyInstant) {
        self.value = value
        self.timestamp = timestamp
    }
}
