/// One decision the policy engine took, kept so operators (and replays) can see what changed,
/// when and why. `data` is the decision itself as JSON, owned by the policy layer (the store
/// does not interpret it); `kind` and `reason` are kept beside it to filter and show.
package struct JournalEntry: Sendable, Equatable, Codable {
    /// When the decision was taken (ms since the epoch).
    package var timestamp: Int64
    package var pool: String
    /// The decision kind, e.g. `weights`, `scale`, `failover`.
    package var kind: String
    package var reason: String
    /// The decision, encoded by its owner.
    package var data: String
    /// The HA lease's fencing epoch the decision was applied under; nil outside an HA pair and
    /// for a follower's decisions, which nothing applies.
    package var epoch: Int64?

    /// A decision of `kind` for `pool` at `timestamp` (ms).
    package init(timestamp: Int64, pool: String, kind: String, reason: String, data: String, epoch: Int64? = nil) {
        self.timestamp = timestamp
        self.pool = pool
        self.kind = kind
        self.reason = reason
        self.data = data
        self.epoch = epoch
    }
}

/// A pool's engine state as the control loop persists it: opaque bytes in a format `version`
/// names, so a newer release can read an older state or drop it with a reason.
package struct StoredEngineState: Sendable, Equatable {
    package var pool: String
    package var version: Int
    /// When it was written (ms since the epoch).
    package var timestamp: Int64
    package var data: [UInt8]

    package init(pool: String, version: Int, timestamp: Int64, data: [UInt8]) {
        self.pool = pool
        self.version = version
        self.timestamp = timestamp
        self.data = data
    }
}
