/// The one writer of a daemon's store. An actor, so scrapes, maintenance, retention and journal
/// writes are serialized without locks, each in its own transaction; readers go through
/// `LiveStore.read` and never wait for it.
public actor StoreWriter {
    private let store: Store

    init(_ store: Store) {
        self.store = store
    }

    /// See `Store.appendScrape`.
    @discardableResult
    public func appendScrape(target: String, samples: [LabeledSample], timestamp: Int64) throws(StoreError) -> AppendResult {
        try store.appendScrape(target: target, samples: samples, timestamp: timestamp)
    }

    /// See `Store.markTargetDown`.
    @discardableResult
    public func markTargetDown(_ target: String, at timestamp: Int64) throws(StoreError) -> AppendResult {
        try store.markTargetDown(target, at: timestamp)
    }

    /// Marks a target that is no longer scraped stale and forgets it.
    public func removeTarget(_ target: String, at timestamp: Int64) throws(StoreError) {
        try store.markTargetDown(target, at: timestamp)
        store.forgetTarget(target)
    }

    /// See `Store.append`.
    @discardableResult
    public func append(_ samples: [LabeledSample], now: Int64) throws(StoreError) -> AppendResult {
        try store.append(samples, now: now)
    }

    /// See `Store.maintainHead`.
    @discardableResult
    public func maintainHead(idleBefore cutoff: Int64) throws(StoreError) -> HeadMaintenanceResult {
        try store.maintainHead(idleBefore: cutoff)
    }

    /// Retention by age (everything before `cutoff`) and, when given, by size.
    public func applyRetention(before cutoff: Int64, maximumBytes: Int?) throws(StoreError) -> RetentionResult {
        var result = try store.deleteData(before: cutoff)
        if let maximumBytes {
            result.chunksDeleted += try store.deleteOldestBlocks(whileLargerThan: maximumBytes)
        }
        return result
    }

    /// See `Store.recordEvaluation`.
    public func recordEvaluation(decisions: [JournalEntry], state: StoredEngineState?) throws(StoreError) {
        try store.recordEvaluation(decisions: decisions, state: state)
    }

    /// See `Store.engineStates`.
    public func engineStates() throws(StoreError) -> [StoredEngineState] {
        try store.engineStates()
    }

    /// See `Store.deleteEngineState`.
    public func deleteEngineState(pool: String) throws(StoreError) {
        try store.deleteEngineState(pool: pool)
    }

    /// See `Store.statistics`.
    public func statistics() throws(StoreError) -> StoreStatistics {
        try store.statistics()
    }

    /// Writes the head to chunks and checkpoints the WAL: a clean shutdown.
    public func close() throws(StoreError) {
        try store.flushHead()
        try store.checkpoint()
    }
}
