/// One backend's health as the engine tracks it between evaluations: rise/fall counters and
/// Envoy-style ejection with a growing ejection time.
package struct BackendHealth: Sendable, Hashable, Codable {
    /// Whether the backend passes its checks (after rise/fall hysteresis).
    package var healthy = true
    /// Failed evaluations in a row.
    package var consecutiveFailures = 0
    /// Good evaluations in a row.
    package var consecutiveSuccesses = 0
    /// Until when the backend is ejected; `nil` when it is in rotation.
    package var ejectedUntil: PolicyInstant?
    /// Envoy's ejection multiplier: the next ejection lasts the base time times this plus one.
    package var ejections = 0
    /// When the multiplier next decreases while the backend stays in rotation.
    package var decayAt: PolicyInstant?
    /// Whether an ejection was wanted but refused by the `max_ejected` cap (journaled once).
    package var ejectionCapped = false
    /// The failed check, for reasons.
    package var lastFailure: String?

    /// Creates the state of a backend never seen failing.
    package init() {}

    /// Whether traffic may be sent to the backend outside panic mode.
    package var isAvailable: Bool { healthy && ejectedUntil == nil }
}
