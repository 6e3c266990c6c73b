/// Which tier serves and when that last changed, kept between evaluations so hold-down and
/// failback delays survive restarts of the daemon.
package struct FailoverState: Sendable, Hashable, Codable {
    /// The tiers of an active-passive pool.
    package enum Tier: String, Sendable, Hashable, Codable {
        /// The pool's own backends.
        case active
        /// The failover policy's standby backends.
        case standby
    }

    /// The tier receiving traffic.
    package var serving: Tier = .active
    /// The standby backends that were eligible at promotion and now serve.
    package var servingStandby: [BackendAddress] = []
    /// When the last failover or failback happened (the hold-down starts there).
    package var changedAt: PolicyInstant?
    /// Since when the active tier has been healthy again while the standby serves.
    package var activeRecoveredAt: PolicyInstant?
    /// Whether an operator moved traffic to the standby tier, which disables automatic failback.
    package var pinnedByOperator = false
    /// The kind of the last journaled block, so a persisting block is journaled once.
    package var blocked: String?

    /// Creates the state of a pool served by its active tier.
    package init() {}
}
