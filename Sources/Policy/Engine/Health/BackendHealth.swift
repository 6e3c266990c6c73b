/// One backend's health as the engine tracks it between evaluations: rise/fall counters and
/// Envoy-style ejection with a growing ejection time.
public struct BackendHealth: Sendable, Hashable, Codable {
    /// Whether the backend passes its checks (after rise/fall hysteresis).
    public var healthy = true
    /// Failed evaluations in a row.
    public var consecutiveFailures = 0
    /// Good evaluations in a row.
    public var consecutiveSuccesses = 0
    /// Until when the backend is ejected; `nil` when it is in rotation.
    public var ejectedUntil: PolicyInstant?
    /// Envoy's ejection multiplier: the next ejection lasts the base time times this plus one.
    public var ejections = 0
    /// When the multiplier next decreases while the backend stays in rotation.
    public var decayAt: PolicyInstant?
    /// Whether an ejection was wanted but refused by the `max_ejected` cap (journaled once).
    public var ejectionCapped = false
    /// The failed check, for reasons.
    public var lastFailure: String?

    /// Creates the state of a backend never seen failing.
    public init() {}

    /// Whether traffic may be sent to the backend outside panic mode.
    public var isAvailable: Bool { healthy && ejectedUntil == nil }
}
