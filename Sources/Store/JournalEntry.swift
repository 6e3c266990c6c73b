/// One decision the policy engine took, kept so operators (and replays) can see what changed,
/// when and why. `before`, `after` and `reason` are JSON texts owned by the policy layer.
public struct JournalEntry: Sendable, Equatable, Codable {
    /// When the decision was taken (ms since the epoch).
    public var timestamp: Int64
    public var pool: String
    /// The decision kind, e.g. `weights`, `scale`, `failover`.
    public var kind: String
    public var before: String
    public var after: String
    public var reason: String

    /// A decision of `kind` for `pool` at `timestamp` (ms).
    public init(timestamp: Int64, pool: String, kind: String, before: String, after: String, reason: String) {
        self.timestamp = timestamp
        self.pool = pool
        self.kind = kind
        self.before = before
        self.after = after
        self.reason = reason
    }
}
