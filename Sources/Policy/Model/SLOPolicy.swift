/// The service level replay judges a policy against: a step violates it when the modelled
/// utilisation of the ready replicas exceeds ``maxUtilization`` or the modelled p99 latency
/// exceeds ``latencyP99``.
package struct SLOPolicy: Sendable, Hashable {
    /// The highest acceptable offered load over ready capacity (1.0: never over capacity).
    package var maxUtilization: Double
    /// The highest acceptable 99th-percentile latency, if the SLO has one.
    package var latencyP99: PolicyDuration?

    /// Creates an SLO; by default only "never over capacity".
    package init(maxUtilization: Double = 1.0, latencyP99: PolicyDuration? = nil) {
        self.maxUtilization = maxUtilization
        self.latencyP99 = latencyP99
    }
}
