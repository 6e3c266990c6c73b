/// What one replica can serve, for replay's simulation.
package struct CapacityModel: Sendable, Hashable {
    /// Requests per second one replica serves at full utilization.
    package var perReplicaRPS: Double
    /// Time from a scale-up decision until the new replica serves traffic.
    package var startup: PolicyDuration

    /// Creates a capacity model.
    package init(perReplicaRPS: Double, startup: PolicyDuration = .zero) {
        self.perReplicaRPS = perReplicaRPS
        self.startup = startup
    }
}
