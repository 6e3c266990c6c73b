/// Which tier serves and when that last changed, kept between evaluations so hold-down and
/// failback delays survive restarts of the daemon.
public struct FailoverState: Sendable, Hashable, Codable {
    /// The tiers of an active-passive pool.
    public enum Tier: String, Sendable, Hashable, Codable {
        /// The pool's own backends.
        case active
        /// The failover policy's standby backends.
        case standby
    }

    /// The tier receiving traffic.
    public var serving: Tier = .active
    /// The standby backends that were eligible at promotion and now serve.
    public var servingStandby: [BackendAddress] = []
    /// When the last failover or failback happened (the hold-down starts there).
    public var changedAt: PolicyInstant?
    /// Since when the active tier has been healthy again while the standby serves.
    public var activeRecoveredAt: PolicyInstant?
    /// Whether an operator moved traffic to the standby tier, which disables automatic failback.
    public var pinnedByOperator = false
    /// The kind of the last journaled block, so a persisting block is journaled once.
    public var blocked: String?

    /// Creates the state of a pool served by its active tier.
    public init() {}
}
