/// The price of running replicas, for replay's cost report.
package struct CostModel: Sendable, Hashable, Codable {
    /// The price of one replica for one hour, in any currency.
    package var perReplicaHour: Double

    enum CodingKeys: String, CodingKey {
        case perReplicaHour = "per_replica_hour"
    }

    /// Creates a cost model.
    package init(perReplicaHour: Double) {
        self.perReplicaHour = perReplicaHour
    }
}
