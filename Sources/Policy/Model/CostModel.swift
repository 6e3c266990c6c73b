/// The price of running replicas, for replay's cost report.
package struct CostModel: Sendable, Hashable {
    /// The price of one replica for one hour, in any currency.
    package var perReplicaHour: Double
    /// The price of each scale event (a deployment, an API call), if it has one.
    package var perScaleEvent: Double?

    /// Creates a cost model.
    package init(perReplicaHour: Double, perScaleEvent: Double? = nil) {
        self.perReplicaHour = perReplicaHour
        self.perScaleEvent = perScaleEvent
    }
}
