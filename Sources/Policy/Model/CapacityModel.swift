/// What one replica can serve, for replay's simulation.
public struct CapacityModel: Sendable, Hashable, Codable {
    /// Requests per second one replica serves at full utilization.
    public var perReplicaRPS: Double
    /// Time from a scale-up decision until the new replica serves traffic.
    public var startup: PolicyDuration

    enum CodingKeys: String, CodingKey {
        case perReplicaRPS = "per_replica_rps"
        case startup
    }

    /// Creates a capacity model.
    public init(perReplicaRPS: Double, startup: PolicyDuration = .zero) {
        self.perReplicaRPS = perReplicaRPS
        self.startup = startup
    }
}
