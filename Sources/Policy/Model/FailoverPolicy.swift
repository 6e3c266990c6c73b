/// An active-passive tier: standby backends that take traffic when too few active ones are healthy.
///
/// Activation follows Envoy's priority semantics: the active tier keeps
/// `min(100%, healthy share × overprovisioningFactor)` of the traffic, so with the default factor
/// 1.4 the standby tier starts taking traffic below about 71% healthy. ``activateBelow`` names the
/// threshold directly instead.
package struct FailoverPolicy: Sendable, Hashable {
    /// The standby backends, in promotion order.
    package var standby: [BackendAddress]
    /// The command run to promote a standby (for example a database replica).
    package var promote: HookCommand?
    /// After a failover, further failovers are blocked for this long (orchestrator's recovery block).
    package var holdDown: PolicyDuration
    /// Envoy's overprovisioning factor applied to the active tier's healthy share.
    package var overprovisioningFactor: Double
    /// If set, the standby tier is activated when the active healthy share falls below it.
    package var activateBelow: Percent?
    /// Whether traffic returns to the recovered active tier by itself.
    package var failback: FailbackMode
    /// How long the active tier must stay healthy before an automatic failback.
    package var failbackDelay: PolicyDuration
    /// Conditions a standby must meet to be promoted.
    package var eligibility: StandbyEligibility

    /// Creates a failover policy with the documented defaults.
    package init(
        standby: [BackendAddress],
        promote: HookCommand? = nil,
        holdDown: PolicyDuration = .seconds(120),
        overprovisioningFactor: Double = 1.4,
        activateBelow: Percent? = nil,
        failback: FailbackMode = .auto,
        failbackDelay: PolicyDuration = .seconds(60),
        eligibility: StandbyEligibility = StandbyEligibility()
    ) {
        self.standby = standby
        self.promote = promote
        self.holdDown = holdDown
        self.overprovisioningFactor = overprovisioningFactor
        self.activateBelow = activateBelow
        self.failback = failback
        self.failbackDelay = failbackDelay
        self.eligibility = eligibility
    }
}

/// Whether traffic returns to the active tier automatically once it recovers.
package enum FailbackMode: String, Sendable, Hashable, CaseIterable {
    /// Fail back after ``FailoverPolicy/failbackDelay`` of sustained health.
    case auto
    /// Stay on the standby until an operator requests a switchover.
    case manual
}

/// Gates a standby must pass before it can be promoted.
package struct StandbyEligibility: Sendable, Hashable {
    /// A replication-lag bound, as Patroni's `maximum_lag_on_failover`.
    package var maxLag: LagBound?

    /// Creates eligibility gates; none by default.
    package init(maxLag: LagBound? = nil) {
        self.maxLag = maxLag
    }
}

/// A standby is eligible only while its `signal` is at most `max`.
package struct LagBound: Sendable, Hashable {
    /// The signal holding each standby's lag.
    package var signal: String
    /// The largest acceptable value, in the signal's unit (seconds when written as a duration).
    package var max: Double

    /// Creates a lag bound.
    package init(signal: String, max: Double) {
        self.signal = signal
        self.max = max
    }

}
