/// When a backend counts as unhealthy, and how ejection is bounded so the pool never empties.
///
/// Scrape failures (`up == 0`) always count as failures; ``ejectWhen`` adds a signal condition.
/// The defaults follow Envoy's outlier detection.
package struct HealthPolicy: Sendable, Hashable {
    /// Consecutive failed evaluations before a backend is marked unhealthy (fall).
    package var unhealthyAfter: Int
    /// Consecutive good evaluations before it is healthy again (rise).
    package var healthyAfter: Int
    /// A signal condition that counts as a failure, such as `error_ratio > 0.05`.
    package var ejectWhen: SignalCondition?
    /// The first ejection's length; each further ejection multiplies it by the ejection count.
    package var ejectFor: PolicyDuration
    /// The cap on one ejection's length.
    package var maxEjectFor: PolicyDuration
    /// The largest share of the pool that may be ejected at once.
    package var maxEjected: Percent
    /// Below this healthy share the pool panics and keeps every backend in rotation.
    ///
    /// The pool is never empty, whatever this threshold: 0% turns off proportional panic (the
    /// healthy backends take all traffic, however few), but a serving tier with no healthy
    /// backend and no eligible tier to fail over to still routes to all its backends rather than
    /// to none.
    package var panicThreshold: Percent

    /// Creates a health policy; the defaults are Envoy's (base 30 s, 10% ejected, 50% panic).
    package init(
        unhealthyAfter: Int = 3,
        healthyAfter: Int = 2,
        ejectWhen: SignalCondition? = nil,
        ejectFor: PolicyDuration = .seconds(30),
        maxEjectFor: PolicyDuration = .seconds(300),
        maxEjected: Percent = Percent(10),
        panicThreshold: Percent = Percent(50)
    ) {
        self.unhealthyAfter = unhealthyAfter
        self.healthyAfter = healthyAfter
        self.ejectWhen = ejectWhen
        self.ejectFor = ejectFor
        self.maxEjectFor = maxEjectFor
        self.maxEjected = maxEjected
        self.panicThreshold = panicThreshold
    }
}
