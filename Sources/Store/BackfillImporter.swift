/// Writes historical samples straight into chunks, the `ballast import` path. Unlike the head,
/// it accepts any timestamps in any order: samples are buffered per series, sorted, and cut into
/// chunks of `Options.chunkSize`. A sample whose series already stores its timestamp is skipped
/// and counted, so re-running an interrupted import completes it without doubling anything.
///
/// Memory is bounded by the number of series times the chunk size, not by the input length.
/// Work is committed every `batchSize` samples; `finish()` flushes the partial buffers and
/// commits. If the process dies in between, everything committed stays, and the re-run adds
/// only what is missing.
package final class BackfillImporter {
    private let store: Store
    private let batchSize: Int
    private var buffers: [Int64: [Sample]] = [:]
    /// Per series touched, the time span already stored, to skip the duplicate check when a
    /// new chunk cannot overlap stored data (the common case: a fresh import).
    private var storedSpans: [Int64: ClosedRange<Int64>] = [:]
    private var uncommitted = 0
    private var inTransaction = false
    /// What was imported so far (`appended`) and skipped (`duplicates`).
    package private(set) var result = AppendResult()

    /// Starts an import into `store`, committing every `batchSize` samples.
    package init(store: Store, batchSize: Int = 500_000) throws(StoreError) {
        try store.requireWritable()
        self.store = store
        self.batchSize = batchSize
    }

    /// Adds one sample. Durable only after the next commit (every `batchSize` samples) or
    /// `finish()`.
    package func add(_ labels: Labels, _ sample: Sample) throws(StoreError) {
        try begin()
        let id = try store.index.id(of: labels)
        try add(seriesID: id, sample)
    }

    /// Adds one sample of a series already resolved with `seriesID(of:)`, for callers that
    /// cache ids by the raw series text and so skip building `Labels` for every line.
    package func add(seriesID id: Int64, _ sample: Sample) throws(StoreError) {
        try begin()
        buffers[id, default: []].append(sample)
        if buffers[id]!.count >= store.options.chunkSize * 2 {
            try flush(id, keepingPartial: true)
        }
        uncommitted += 1
        if uncommitted >= batchSize { try commit() }
    }

    /// The id of `labels`, creating the series when new.
    package func seriesID(of labels: Labels) throws(StoreError) -> Int64 {
        try begin()
        return try store.index.id(of: labels)
    }

    /// Writes every buffered sample and commits. Returns the totals.
    @discardableResult
    package func finish() throws(StoreError) -> AppendResult {
        try begin()
        for id in buffers.keys.sorted() { try flush(id, keepingPartial: false) }
        buffers.removeAll()
        try commit()
        return result
    }

    /// Commits the chunks written so far. Partial per-series buffers stay in memory until they
    /// fill or `finish()`.
    package func commit() throws(StoreError) {
        guard inTransaction else { return }
        do {
            try store.database.execute("COMMIT")
        } catch {
            abandon()
            throw error
        }
        inTransaction = false
        uncommitted = 0
    }

    /// Rolls back what was not committed, keeping the store consistent after an error.
    package func abandon() {
        if inTransaction { try? store.database.execute("ROLLBACK") }
        inTransaction = false
        buffers.removeAll()
        storedSpans.removeAll()
        store.resynchronize()
    }

    private func begin() throws(StoreError) {
        guard !inTransaction else { return }
        try store.database.execute("BEGIN IMMEDIATE")
        inTransaction = true
    }

    /// Sorts the buffer of series `id`, drops duplicates, and writes its chunk runs (all but
    /// the last when `keepingPartial`: later samples may still extend it, so an input in time
    /// order yields full chunks).
    private func flush(_ id: Int64, keepingPartial: Bool) throws(StoreError) {
        guard var samples = buffers[id], !samples.isEmpty else { return }
        if !isOrderedStrictly(samples) { samples = Store.orderedUnique(samples) }
        result.duplicates += buffers[id]!.count - samples.count
        var runs = store.chunkRuns(samples[...])
        if keepingPartial, let last = runs.popLast() {
            buffers[id] = Array(last.samples)
        } else {
            buffers[id] = []
        }
        guard let first = runs.first?.samples.first, let last = runs.last?.samples.last else { return }
        let span = try span(of: id)
        var storedTimes = Set<Int64>()
        if let span, first.timestamp <= span.upperBound, last.timestamp >= span.lowerBound {
            storedTimes = Set(try store.samples(of: id, from: first.timestamp, through: last.timestamp).map(\.timestamp))
        }
        for run in runs {
            var fresh = run.samples
            if !storedTimes.isEmpty {
                fresh = ArraySlice(run.samples.filter { !storedTimes.contains($0.timestamp) })
                result.duplicates += run.samples.count - fresh.count
            }
            try store.writeChunk(seriesID: id, block: run.block, samples: fresh)
            result.appended += fresh.count
        }
        let lower = min(span?.lowerBound ?? first.timestamp, first.timestamp)
        let upper = max(span?.upperBound ?? last.timestamp, last.timestamp)
        storedSpans[id] = lower...upper
        try store.noteStored(id, through: upper)
    }

    /// The span of samples stored for `id` in chunks and head, read once per series.
    private func span(of id: Int64) throws(StoreError) -> ClosedRange<Int64>? {
        if let known = storedSpans[id] { return known }
        var lower = try store.chunkSpan(of: id)?.lowerBound
        var upper = try store.chunkSpan(of: id)?.upperBound
        if let head = store.readableHead[id], let last = head.lastTimestamp {
            lower = min(lower ?? head.firstTimestamp, head.firstTimestamp)
            upper = max(upper ?? last, last)
        }
        guard let lower, let upper else { return nil }
        storedSpans[id] = lower...upper
        return lower...upper
    }

    private func isOrderedStrictly(_ samples: [Sample]) -> Bool {
        var previous = Int64.min
        for sample in samples {
            if sample.timestamp <= previous { return false }
            previous = sample.timestamp
        }
        return true
    }
}
