/// Everything the engine learns about a pool at one evaluation: its members, their signals,
/// the replica count, failed signal queries and operator commands.
///
/// Signals arrive as plain values so the engine stays pure: the daemon fills this from PromQL
/// over the store (or a remote Prometheus), replay from its load model.
package struct PoolSignals: Sendable, Hashable, Codable {
    /// The active tier's backends (static plus file_sd); `nil` means the policy's static list.
    package var members: [BackendAddress]?
    /// Per-backend signals, for active and standby backends alike.
    package var backends: [BackendAddress: BackendSignals]
    /// The signals of every member (`members`, of either tier) without an entry in `backends`. Replay's model has
    /// each ready replica report the same values, so it gives them once rather than once per
    /// member, sparing a dictionary write and an address hash per member per step.
    package var everyMember: BackendSignals?
    /// Pool-wide signal values (already averaged per replica), used when no backend reports
    /// the signal; replay feeds its model outputs here.
    package var pool: [String: SignalSample]
    /// Signals whose query failed this evaluation, with the error text.
    package var failedSignals: [String: String]
    /// The replica count the scaling hook last reported; `nil` means the count the engine last
    /// decided, or before any decision the member count (the policy's minimum without members).
    package var replicas: Int?
    /// Operator commands received since the previous evaluation, in arrival order.
    package var commands: [OperatorCommand]
    /// Standby backends whose promote hook just failed, with why: not eligible for a failover in
    /// this evaluation, so the engine decides as if they could not be promoted.
    package var promotionFailures: [BackendAddress: String]

    /// Creates an evaluation's input.
    package init(
        members: [BackendAddress]? = nil,
        backends: [BackendAddress: BackendSignals] = [:],
        everyMember: BackendSignals? = nil,
        pool: [String: SignalSample] = [:],
        failedSignals: [String: String] = [:],
        replicas: Int? = nil,
        commands: [OperatorCommand] = [],
        promotionFailures: [BackendAddress: String] = [:]
    ) {
        self.members = members
        self.backends = backends
        self.everyMember = everyMember
        self.pool = pool
        self.failedSignals = failedSignals
        self.replicas = replicas
        self.commands = commands
        self.promotionFailures = promotionFailures
    }
}
