/// One backend's weight memory: the smoothed weight, what was last routed (the traffic share the
/// feedback rules measure against), its slow-start ramp and its peak-EWMA cost.
package struct BackendWeightState: Sendable, Hashable, Codable {
    /// The smoothed weight before slow start, in the policy's `min...max` range; `nil` until the
    /// backend has been weighed (an `inverse` backend may have a cost first).
    package var base: Double?
    /// The integer weight last routed to the backend.
    package var routed: Int
    /// When its slow-start ramp began; `nil` once ramped up (or never ramping).
    package var rampStart: PolicyInstant?
    /// Peak-EWMA of the `inverse` strategy's signal.
    package var cost: Double?
    /// The sample time the cost last absorbed.
    package var costAt: PolicyInstant?

    /// Creates a backend's weight state.
    package init(base: Double?, routed: Int, rampStart: PolicyInstant? = nil) {
        self.base = base
        self.routed = routed
        self.rampStart = rampStart
    }
}
