/// One backend's weight memory: the smoothed weight, what was last routed (the traffic share the
/// feedback rules measure against), its slow-start ramp and its peak-EWMA cost.
public struct BackendWeightState: Sendable, Hashable, Codable {
    /// The smoothed weight before slow start, in the policy's `min...max` range; `nil` until the
    /// backend has been weighed (an `inverse` backend may have a cost first).
    public var base: Double?
    /// The integer weight last routed to the backend.
    public var routed: Int
    /// When its slow-start ramp began; `nil` once ramped up (or never ramping).
    public var rampStart: PolicyInstant?
    /// Peak-EWMA of the `inverse` strategy's signal.
    public var cost: Double?
    /// The sample time the cost last absorbed.
    public var costAt: PolicyInstant?

    /// Creates a backend's weight state.
    public init(base: Double?, routed: Int, rampStart: PolicyInstant? = nil) {
        self.base = base
        self.routed = routed
        self.rampStart = rampStart
    }
}
