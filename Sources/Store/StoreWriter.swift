import Synchronization

/// The one writer of a daemon's store. An actor, so scrapes, maintenance, retention and journal
/// writes are serialized without locks, each in its own transaction; readers go through
/// `LiveStore.read` and never wait for it.
package actor StoreWriter {
    private let store: Store
    /// When scrapes stop being stored (`endAppends`).
    private nonisolated let appendsEnd = Mutex<ContinuousClock.Instant?>(nil)

    init(_ store: Store) {
        self.store = store
    }

    /// Refuses scrapes (`appendScrape`) from `deadline` on (`StoreError.closing`), whatever waits
    /// for the writer then: at shutdown, scrapes queued behind the creation of many series
    /// would otherwise hold the exit past its time limit (650,000 series at start-up: 8 s).
    /// Not isolated, so it takes effect at once rather than behind the queue it cuts.
    package nonisolated func endAppends(at deadline: ContinuousClock.Instant) {
        appendsEnd.withLock { $0 = deadline }
    }

    private func refuseWhenEnded() throws(StoreError) {
        if let end = appendsEnd.withLock({ $0 }), ContinuousClock.now >= end { throw .closing }
    }

    /// See `Store.appendScrape`.
    @discardableResult
    package func appendScrape(target: String, samples: [LabeledSample], timestamp: Int64) throws(StoreError) -> AppendResult {
        try refuseWhenEnded()
        return try store.appendScrape(target: target, samples: samples, timestamp: timestamp)
    }

    /// See `Store.appendScrape(target:samples:generation:timestamp:labels:)`.
    package func appendScrape(
        target: String,
        samples: [ScrapedSample],
        generation: Int,
        timestamp: Int64,
        labels: SampleLabels
    ) throws(StoreError) -> ScrapeAppend {
        try refuseWhenEnded()
        return try store.appendScrape(target: target, samples: samples, generation: generation, timestamp: timestamp, labels: labels)
    }

    /// See `Store.markTargetDown`.
    @discardableResult
    package func markTargetDown(_ target: String, at timestamp: Int64) throws(StoreError) -> AppendResult {
        try store.markTargetDown(target, at: timestamp)
    }

    /// Marks a target that is no longer scraped stale and forgets it.
    package func removeTarget(_ target: String, at timestamp: Int64) throws(StoreError) {
        try store.markTargetDown(target, at: timestamp)
        store.forgetTarget(target)
    }

    /// See `Store.append`.
    @discardableResult
    package func append(_ samples: [LabeledSample], now: Int64) throws(StoreError) -> AppendResult {
        try store.append(samples, now: now)
    }

    /// Writes sealed and idle head chunks and deletes covered head rows (`Store.maintainHead`),
    /// `seriesPerTransaction` series at a time, letting queued appends run between transactions.
    /// Cancelled, it stops after the transaction in progress (the next pass goes on).
    @discardableResult
    package func maintainHead(idleBefore cutoff: Int64, seriesPerTransaction: Int = 50) async throws(StoreError) -> HeadMaintenanceResult {
        var total = HeadMaintenanceResult()
        while true {
            let pass = try store.maintainHead(idleBefore: cutoff, limit: seriesPerTransaction)
            total.chunksWritten += pass.chunksWritten
            total.headRowsDeleted += pass.headRowsDeleted
            await Task.yield()
            guard pass.pending, !Task.isCancelled else { break }
        }
        return total
    }

    /// A passive checkpoint on the writer's connection (`LiveStore.passiveCheckpoint`); the
    /// pages copied.
    func passiveCheckpoint() throws(StoreError) -> Int {
        try store.database.passiveCheckpoint()
    }

    /// Retention by age (everything before `cutoff`) and, when given, by size.
    package func applyRetention(before cutoff: Int64, maximumBytes: Int?) throws(StoreError) -> RetentionResult {
        var result = try store.deleteData(before: cutoff)
        if let maximumBytes {
            result.chunksDeleted += try store.deleteOldestBlocks(whileLargerThan: maximumBytes)
        }
        return result
    }

    /// See `Store.recordEvaluation`.
    package func recordEvaluation(decisions: [JournalEntry], state: StoredEngineState?) throws(StoreError) {
        try store.recordEvaluation(decisions: decisions, state: state)
    }

    /// See `Store.engineStates`.
    package func engineStates() throws(StoreError) -> [StoredEngineState] {
        try store.engineStates()
    }

    /// See `Store.deleteEngineState`.
    package func deleteEngineState(pool: String) throws(StoreError) {
        try store.deleteEngineState(pool: pool)
    }

    /// See `Store.statistics`.
    package func statistics() throws(StoreError) -> StoreStatistics {
        try store.statistics()
    }

    /// Writes the head to chunks, gives back the pages its rows held, and checkpoints the WAL:
    /// a clean shutdown, which stops at `deadline`. What it leaves, the next start takes over:
    /// it replays the head rows left, and its first maintenance pass checkpoints the WAL.
    @discardableResult
    package func close(until deadline: ContinuousClock.Instant? = nil) throws(StoreError) -> StoreClosing {
        let inTime = { deadline.map { ContinuousClock.now < $0 } ?? true }
        do {
            guard try store.flushHead(while: inTime) else { return leaving(.headRowsLeft) }
            guard inTime() else { return leaving(.walLeft) }
            // Both can take seconds with a large WAL: SQLite stops them at the deadline.
            let alarm = deadline.map { InterruptAlarm(store.database, at: $0) }
            defer { alarm?.disarm() }
            do {
                try store.releaseFreePages()
                try store.checkpoint()
            } catch let error where error.isInterruption {
                return leaving(.walLeft)
            }
            return .complete
        } catch {
            _ = leaving(.walLeft)
            throw error
        }
    }

    /// Closing the connection would checkpoint the whole WAL when nothing else has it open: 9 s
    /// after 650,000 series were created.
    private func leaving(_ closing: StoreClosing) -> StoreClosing {
        store.database.skipCheckpointOnClose()
        return closing
    }
}

/// How far a store's close got before its deadline.
package enum StoreClosing: Sendable, Equatable {
    /// Head written, free pages given back, WAL checkpointed.
    case complete
    /// The head is written; the WAL waits for the next start's maintenance.
    case walLeft
    /// Some series' samples are only in head rows, which the next start replays.
    case headRowsLeft
}
