package import Store

/// The HA pair's coordination as the control loop sees it: whether this instance may apply now
/// (and under which fencing epoch), the engine states the pair shares, and its role for the
/// status API. Both instances scrape and decide; only the one holding the lease applies and
/// runs hooks. The lease itself (PostgreSQL) lives in the `Coordination` target, handed in here.
package protocol HACoordinator: Sendable {
    /// The epoch this instance may apply under now, or nil: a follower, or a leader whose lease
    /// was not confirmed recently enough to be sure no other instance can hold it.
    func applyingEpoch() -> Int64?
    /// Role, epoch and holder, for `/api/v1/status` and `/metrics`.
    func status() -> HAStatus
    /// Every new epoch this instance acquires, in order: the control loop takes the shared engine
    /// states over before it applies under it.
    var acquisitions: AsyncStream<Int64> { get }
    /// Shares a pool's engine state under `epoch`; refused (false) once another instance holds
    /// the lease, so a deposed leader can never overwrite its successor's state.
    func share(_ state: StoredEngineState, epoch: Int64) async -> Bool
    /// The engine states the leaders shared, one per pool.
    func sharedStates() async throws -> [StoredEngineState]
}

/// Where this instance stands in its HA pair.
package struct HAStatus: Sendable, Hashable, Codable {
    package enum Role: String, Sendable, Hashable, Codable {
        /// Holds the lease and applies.
        case leader
        /// Scrapes and decides; applies nothing.
        case follower
    }

    package var role: Role
    /// This instance's name in the lease.
    package var instance: String
    /// The lease's current fencing epoch as last seen (0 before the first look).
    package var epoch: Int64
    /// Who holds the lease, as last seen (nil when nobody does or before the first look).
    package var holder: String?
    /// Why the last lease operation failed, if it did (PostgreSQL unreachable, a timeout).
    package var lastError: String?

    package init(role: Role, instance: String, epoch: Int64, holder: String?, lastError: String?) {
        self.role = role
        self.instance = instance
        self.epoch = epoch
        self.holder = holder
        self.lastError = lastError
    }
}
