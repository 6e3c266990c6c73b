/// The price of running replicas, for replay's cost report.
package struct CostModel: Sendable, Hashable {
    /// The price of one replica for one hour, in any currency.
    package var perReplicaHour: Double

    /// Creates a cost model.
    package init(perReplicaHour: Double) {
        self.perReplicaHour = perReplicaHour
    }
}
