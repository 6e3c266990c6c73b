/// One decision the policy engine took, kept so operators (and replays) can see what changed,
/// when and why. `data` is the decision itself as JSON, owned by the policy layer (the store
/// does not interpret it); `kind` and `reason` are kept beside it to filter and show.
public struct JournalEntry: Sendable, Equatable, Codable {
    /// When the decision was taken (ms since the epoch).
    public var timestamp: Int64
    public var pool: String
    /// The decision kind, e.g. `weights`, `scale`, `failover`.
    public var kind: String
    public var reason: String
    /// The decision, encoded by its owner.
    public var data: String

    /// A decision of `kind` for `pool` at `timestamp` (ms).
    public init(timestamp: Int64, pool: String, kind: String, reason: String, data: String) {
        self.timestamp = timestamp
        self.pool = pool
        self.kind = kind
        self.reason = reason
        self.data = data
    }
}

/// A pool's engine state as the control loop persists it: opaque bytes in a format `version`
/// names, so a newer release can read an older state or drop it with a reason.
public struct StoredEngineState: Sendable, Equatable {
    public var pool: String
    public var version: Int
    /// When it was written (ms since the epoch).
    public var timestamp: Int64
    public var data: [UInt8]

    public init(pool: String, version: Int, timestamp: Int64, data: [UInt8]) {
        self.pool = pool
        self.version = version
        self.timestamp = timestamp
        self.data = data
    }
}
