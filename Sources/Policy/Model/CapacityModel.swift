/// What one replica can serve, for replay's simulation.
public struct CapacityModel: Sendable, Hashable {
    /// Requests per second one replica serves at full utilization.
    public var perReplicaRPS: Double
    /// Time from a scale-up decision until the new replica serves traffic.
    public var startup: PolicyDuration

    /// Creates a capacity model.
    public init(perReplicaRPS: Double, startup: PolicyDuration = .zero) {
        self.perReplicaRPS = perReplicaRPS
        self.startup = startup
    }
}
