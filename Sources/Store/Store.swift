/// The embedded time-series database: one SQLite file holding the series index, a durable head
/// of recent samples, compressed chunks, rollups, the decisions journal and the engine state.
///
/// A `Store` is one SQLite connection used by one task at a time. A writable store is the one
/// writer of its file; the daemon keeps it in `StoreWriter` (an actor) and reads through
/// `LiveStore`, whose read-only stores share the writer's head (`SharedHead`), so readers see
/// every committed sample while the writer appends, and never half a batch.
///
/// Writes are batched: one `append` is one transaction (WAL, `synchronous=NORMAL`), so a crash
/// loses at most the batch in flight and never corrupts the file. Each series' newest samples
/// live in an open Gorilla chunk in memory, mirrored durably as one `head` row per batch; once a
/// chunk holds `Options.chunkSize` samples, or the next sample falls in another time block, it
/// is written to `chunks` in the same transaction. Maintenance (`maintainHead`), off the append
/// path, writes chunks that went idle and deletes the head rows whose samples are all in chunks.
package final class Store {
    /// Tuning knobs; the defaults suit a daemon scraping every few seconds.
    package struct Options: Sendable {
        /// Samples per compressed chunk at most (Prometheus uses 120).
        package var chunkSize: Int
        /// The time block (ms) chunks are clustered by; no chunk spans two. Fixed for the life of
        /// a database file (Prometheus: 2 h).
        package var blockRange: Int64
        /// How far past the writer's clock a sample may be (ms); later ones are refused and
        /// counted as out of bounds, so one sample from the future cannot hold back the series.
        /// Prometheus refuses samples beyond its head's window likewise; 10 minutes here.
        package var futureTolerance: Int64

        /// The defaults suit a daemon; tests shrink them.
        package init(chunkSize: Int = 120, blockRange: Int64 = 7_200_000, futureTolerance: Int64 = 600_000) {
            self.chunkSize = chunkSize
            self.blockRange = blockRange
            self.futureTolerance = futureTolerance
        }
    }

    /// The database file.
    package let path: String
    /// The options in force. `blockRange` is the one the file was created with, whatever was
    /// asked: block numbers are stored, so reading with another range would miss chunks.
    package let options: Options
    let database: Database
    /// The encoding of the file's head rows (`HeadBatch`); a writable store upgrades it.
    let headFormat: Int
    let index: SeriesIndex
    let readOnly: Bool
    /// The head readers see; the writer publishes to it at each commit.
    let shared: SharedHead

    /// The writer's head (per series, its samples not yet in a stored chunk) while it holds the
    /// shared head's lock (`withWriterHead`, which every write batch runs in); empty otherwise,
    /// since the head then lives in `shared` for readers to copy.
    var head = HeadMap()
    /// Whether `head` holds the head (the writer holds the shared head's lock).
    private var headBorrowed = false
    /// A reader's copy of the shared head, taken with its read transaction (`beginSnapshot`).
    var snapshot: HeadMap?
    private var seenGeneration = 0
    /// Bumped when retention deletes series, whose ids SQLite may hand out again: series ids
    /// given out before (`appendScrape`) are valid only with the generation they came with.
    package internal(set) var seriesGeneration = 0
    /// Samples accepted by the batch being written, stored as one head row at its end.
    var pendingHead: [HeadBatch.Entry] = []
    /// Per series that is not in the head, the newest timestamp of its chunks, loaded on first
    /// use (a head series knows its own: `HeadSeries.newest`).
    var lastTimestamps: [Int64: Int64] = [:]
    /// Per scrape target, the series its last successful scrape produced, ascending (for
    /// staleness).
    var targetSeries: [String: [Int64]] = [:]
    /// Series maintenance still has to look at in its current round (`maintainHead`).
    var maintenanceQueue: [Int64] = []

    let insertHead: Statement
    let insertChunk: Statement
    let widenSeriesSpan: Statement
    let chunksInRange: Statement
    let seriesChunkSpan: Statement

    /// Opens or creates the store at `path`, migrating its schema forward, and loads the head
    /// (a writable store also writes the chunks that filled up before it was last closed).
    /// `readOnly` opens an existing file for reading only (queries, export).
    package convenience init(path: String, options: Options = Options(), readOnly: Bool = false) throws(StoreError) {
        try self.init(path: path, options: options, readOnly: readOnly, shared: nil)
    }

    /// A live store's reader connection's page cache, in KiB: room for the inner pages of the
    /// B-trees a query descends.
    static let liveReaderCacheKiB = 256

    /// Opens a store; a reader given the writer's `shared` head reads it instead of the head rows.
    init(path: String, options: Options, readOnly: Bool, shared: SharedHead?) throws(StoreError) {
        self.path = path
        self.readOnly = readOnly
        database = try Database(path: path, access: readOnly ? .readOnly : .readWrite)
        if shared != nil {
            // A live store's reader: its cached pages are discarded at its next read once the
            // writer committed (every scrape), so a large cache only holds memory. Counting
            // 100,000 series for `/metrics` filled the default 2 MB, on each reader connection.
            try database.execute("PRAGMA cache_size=-\(Self.liveReaderCacheKiB)")
        }
        if readOnly {
            let version = try Schema.readVersion(database)
            guard version <= Schema.currentVersion else {
                throw .newerSchema(path: path, found: version, supported: Schema.currentVersion)
            }
        } else {
            try Schema.migrate(database)
        }
        var effective = options
        effective.blockRange = try Self.fileBlockRange(database, requested: options.blockRange, readOnly: readOnly)
        self.options = effective
        // A reader that loads the head reads its format and its rows in one snapshot, so a
        // writer upgrading the rows meanwhile cannot have them decoded in the wrong format.
        let loadsHeadReadOnly = readOnly && shared == nil
        if loadsHeadReadOnly { try database.execute("BEGIN") }
        headFormat = try Self.fileHeadFormat(database, readOnly: readOnly, path: path)
        index = try SeriesIndex(database: database)
        insertHead = try database.prepare("INSERT INTO head (min_t, max_t, data) VALUES (?, ?, ?)")
        insertChunk = try database.prepare(
            "INSERT INTO chunks (block, series_id, end_offset, span, data) VALUES (?, ?, ?, ?, ?)"
        )
        widenSeriesSpan = try database.prepare(
            "UPDATE series SET min_t = min(coalesce(min_t, ?2), ?2), max_t = max(coalesce(max_t, ?3), ?3) WHERE id = ?1"
        )
        // One index seek per block: the recursive CTE enumerates the blocks of the range.
        chunksInRange = try database.prepare(
            """
            WITH RECURSIVE blocks(b) AS (SELECT ?2 UNION ALL SELECT b + 1 FROM blocks WHERE b < ?3)
            SELECT data FROM blocks JOIN chunks ON chunks.block = blocks.b AND chunks.series_id = ?1
            AND chunks.block * ?6 + chunks.end_offset >= ?4
            AND chunks.block * ?6 + chunks.end_offset - chunks.span <= ?5
            """
        )
        seriesChunkSpan = try database.prepare("SELECT min_t, max_t FROM series WHERE id = ? AND max_t IS NOT NULL")
        if let shared {
            self.shared = shared
        } else {
            self.shared = SharedHead()
            try withWriterHead { () throws(StoreError) -> Void in try loadHead() }
        }
        if loadsHeadReadOnly { try database.execute("COMMIT") }
    }

    /// The block range recorded in the file, recording `requested` in a new writable file.
    private static func fileBlockRange(
        _ database: Database,
        requested: Int64,
        readOnly: Bool
    ) throws(StoreError)
        -> Int64
    {
        let read = try database.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'block_range'")
        if let stored = try read.singleInt64(), stored > 0 { return stored }
        if !readOnly {
            try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('block_range', ?)")
                .reset(.text(String(requested))).run()
        }
        return requested
    }

    /// The head-row format recorded in the file. A writable store records the current one, and
    /// first re-encodes the rows of an older file (one transaction); a reader reads what is there.
    private static func fileHeadFormat(_ database: Database, readOnly: Bool, path: String) throws(StoreError) -> Int {
        let read = try database.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'head_format'")
        if let stored = try read.singleInt64() { return Int(stored) }
        let hasRows = try database.prepare("SELECT EXISTS (SELECT 1 FROM head)").singleInt64() == 1
        if readOnly { return hasRows ? 1 : HeadBatch.currentFormat }
        try database.transaction { () throws(StoreError) -> Void in
            if hasRows {
                let rows = try database.prepare("SELECT id, data FROM head ORDER BY id")
                var upgraded: [(id: Int64, data: [UInt8])] = []
                while try rows.step() {
                    guard let entries = HeadBatch.decode(rows.blob(1), format: 1) else { throw .damagedHead(path: path) }
                    upgraded.append((rows.int64(0), HeadBatch.encode(entries)))
                }
                let update = try database.prepare("UPDATE head SET data = ? WHERE id = ?")
                for row in upgraded { try update.reset(.blob(row.data), .integer(row.id)).run() }
            }
            try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('head_format', ?)")
                .reset(.text(String(HeadBatch.currentFormat))).run()
        }
        return HeadBatch.currentFormat
    }

    /// Reads the durable head back into `head` (after open or a failed write, with the head
    /// borrowed): each head row's samples that are not in a chunk yet, of series that still
    /// exist, cut into chunks as appends would have cut them (sealed ones wait for maintenance,
    /// as after appends).
    func loadHead() throws(StoreError) {
        head.removeAll()
        lastTimestamps.removeAll(keepingCapacity: true)
        pendingHead.removeAll()
        maintenanceQueue.removeAll()
        var stored: [Int64: Int64] = [:]
        let (chunkSize, blockRange) = (options.chunkSize, options.blockRange)
        // Per series, the end of its chunks; `.max` (nothing replays) for a series retention
        // deleted, whose entries remain in rows that also hold live series.
        let seriesEnd = try database.prepare("SELECT coalesce(max_t, ?2) FROM series WHERE id = ?1")
        let statement = try database.prepare("SELECT data FROM head ORDER BY id")
        while try statement.step() {
            guard let entries = HeadBatch.decode(statement.blob(0), format: headFormat) else { throw .damagedHead(path: path) }
            for entry in entries {
                let id = entry.series
                let inHead = head.update(id) { series in
                    if entry.sample.timestamp > series.newest { series.append(entry.sample, chunkSize: chunkSize, blockRange: blockRange) }
                }
                if inHead == nil {
                    if stored[id] == nil { stored[id] = try seriesEnd.reset(.integer(id), .integer(.min)).singleInt64() ?? .max }
                    guard entry.sample.timestamp > stored[id]! else { continue }
                    var series = HeadSeries()
                    series.append(entry.sample, chunkSize: chunkSize, blockRange: blockRange)
                    head[id] = series
                }
            }
        }
    }

    /// Runs `body` with the head in `head`, holding the shared head's lock so no reader starts
    /// meanwhile; the map moves in and out without a copy. Re-entrant: a batch that is already
    /// holding it just runs `body`.
    func withWriterHead<T: Sendable>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        if headBorrowed { return try body() }
        return try shared.withLock { (state: inout SharedHead.State) throws(StoreError) -> T in
            swap(&head, &state.series)
            headBorrowed = true
            defer {
                headBorrowed = false
                swap(&head, &state.series)
            }
            return try body()
        }
    }

    /// Runs `body` over the head as this connection reads it (a reader's snapshot, or the
    /// writer's head under the lock), without copying it.
    func withReadableHead<T: Sendable, E: Error>(_ body: (HeadMap) throws(E) -> T) throws(E) -> T {
        if let snapshot { return try body(snapshot) }
        if headBorrowed { return try body(head) }
        return try shared.withLock { (state: inout SharedHead.State) throws(E) -> T in try body(state.series) }
    }

    /// Starts a reader's consistent view: a read transaction and the head as of the same commit.
    func beginSnapshot() throws(StoreError) {
        let (series, generation) = try shared.withLock { (state: inout SharedHead.State) throws(StoreError) -> (HeadMap, Int) in
            try database.execute("BEGIN")
            // The first read fixes the transaction's snapshot, inside the lock.
            _ = try Schema.readVersion(database)
            return (state.series, state.seriesGeneration)
        }
        snapshot = series
        if generation != seenGeneration {
            index.forgetCache()
            seenGeneration = generation
        }
    }

    /// Ends the view `beginSnapshot` started.
    func endSnapshot() {
        snapshot = nil
        try? database.execute("COMMIT")
    }

    /// The head a read uses: a reader's snapshot, or (a copy of) the writer's head.
    var readableHead: HeadMap { withReadableHead { $0 } }

    /// The block holding `timestamp`.
    func block(of timestamp: Int64) -> Int64 {
        floorDiv(timestamp, options.blockRange)
    }

    /// Drops every in-memory cache after a rolled-back transaction, so memory matches the file.
    func resynchronize() {
        index.forgetCache()
        try? withWriterHead { () throws(StoreError) -> Void in try loadHead() }
    }

    func requireWritable() throws(StoreError) {
        if readOnly { throw .readOnly(path: path) }
    }

    /// The newest timestamp stored for series `id`, which is not in the head, or nil when it
    /// has no samples.
    func storedLastTimestamp(of id: Int64) throws(StoreError) -> Int64? {
        if let known = lastTimestamps[id] { return known }
        guard let newest = try chunkSpan(of: id)?.upperBound else { return nil }
        lastTimestamps[id] = newest
        return newest
    }

    /// Records that series `id`'s chunks now reach `timestamp` (an import wrote them), so the
    /// append rules compare with it.
    func noteStored(_ id: Int64, through timestamp: Int64) throws(StoreError) {
        if let known = lastTimestamps[id] { lastTimestamps[id] = max(known, timestamp) }
        try withWriterHead { () throws(StoreError) -> Void in
            head.update(id) { $0.noteStored(through: timestamp) }
        }
    }

    /// The time span of the chunks of series `id`, nil when it has none.
    func chunkSpan(of id: Int64) throws(StoreError) -> ClosedRange<Int64>? {
        seriesChunkSpan.reset()
        seriesChunkSpan.bind(id, at: 1)
        defer { seriesChunkSpan.reset() }
        guard try seriesChunkSpan.step() else { return nil }
        return seriesChunkSpan.int64(0)...seriesChunkSpan.int64(1)
    }

    /// Splits time-ordered samples into chunk runs: at most `chunkSize` samples, never across
    /// a block boundary.
    func chunkRuns(_ samples: ArraySlice<Sample>) -> [(block: Int64, samples: ArraySlice<Sample>)] {
        var runs: [(block: Int64, samples: ArraySlice<Sample>)] = []
        var start = samples.startIndex
        while start < samples.endIndex {
            let runBlock = block(of: samples[start].timestamp)
            var end = start + 1
            while end < samples.endIndex, end - start < options.chunkSize,
                block(of: samples[end].timestamp) == runBlock
            {
                end += 1
            }
            runs.append((runBlock, samples[start..<end]))
            start = end
        }
        return runs
    }

    /// Writes one chunk row and widens the series' chunk span. Callers pass samples of one
    /// block, in timestamp order with distinct timestamps.
    func writeChunk(seriesID: Int64, block: Int64, samples: ArraySlice<Sample>) throws(StoreError) {
        guard let first = samples.first, let last = samples.last else { return }
        try writeChunk(seriesID: seriesID, XORChunk(encoding: samples), first: first.timestamp, last: last.timestamp)
    }

    /// Writes a head chunk (see `writeChunk(seriesID:block:samples:)`).
    func writeChunk(seriesID: Int64, _ chunk: XORAppender) throws(StoreError) {
        guard chunk.count > 0 else { return }
        try writeChunk(seriesID: seriesID, chunk.chunk, first: chunk.firstTimestamp, last: chunk.lastTimestamp)
    }

    /// The samples of a chunk of series `id`, or the error that names the damage.
    func decoded(_ chunk: XORChunk, of id: Int64) throws(StoreError) -> [Sample] {
        do {
            return try chunk.decode()
        } catch {
            throw .damagedChunk(path: path, seriesID: id, error)
        }
    }

    /// Writes a chunk whose samples span `first...last`, all in one block.
    func writeChunk(seriesID: Int64, _ chunk: XORChunk, first: Int64, last: Int64) throws(StoreError) {
        let block = block(of: first)
        insertChunk.reset()
        insertChunk.bind(block, at: 1)
        insertChunk.bind(seriesID, at: 2)
        insertChunk.bind(last - block * options.blockRange, at: 3)
        insertChunk.bind(last - first, at: 4)
        insertChunk.bind(chunk.bytes, at: 5)
        try insertChunk.run()
        widenSeriesSpan.reset()
        widenSeriesSpan.bind(seriesID, at: 1)
        widenSeriesSpan.bind(first, at: 2)
        widenSeriesSpan.bind(last, at: 3)
        try widenSeriesSpan.run()
    }

    /// Counts of what the store holds, for status pages and tests.
    package func statistics() throws(StoreError) -> StoreStatistics {
        func count(_ sql: String) throws(StoreError) -> Int {
            Int(try database.prepare(sql).singleInt64() ?? 0)
        }
        let (samples, series, bytes) = withReadableHead { head in
            (head.reduce(0) { $0 + $1.series.sampleCount }, head.count, head.reduce(0) { $0 + $1.series.byteCount })
        }
        return StoreStatistics(
            seriesCount: try count("SELECT COUNT(*) FROM series"),
            chunkCount: try count("SELECT COUNT(*) FROM chunks"),
            headSampleCount: samples,
            headSeriesCount: series,
            headBytes: bytes,
            fileBytes: try count("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"),
            freeBytes: try count("SELECT freelist_count * page_size FROM pragma_freelist_count(), pragma_page_size()")
        )
    }

    /// Moves every WAL frame into the main file and truncates the WAL, so the file size is the
    /// data size (benchmarks, backups).
    package func checkpoint() throws(StoreError) {
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Gives the file's free pages back to the file system (the rows of a head written out at
    /// shutdown: minutes of samples), in a file created with incremental auto-vacuum (this
    /// version creates them so; an older file keeps its free pages for reuse).
    package func releaseFreePages() throws(StoreError) {
        try requireWritable()
        try database.execute("PRAGMA incremental_vacuum")
    }

    /// Rewrites the file with every page full and in key order, then truncates the WAL. Bulk
    /// writes that interleave series (an import, a compaction of many series) leave pages
    /// part-empty; this is the store's equivalent of Prometheus compacting blocks. It needs a
    /// moment with no other connection writing.
    package func vacuum() throws(StoreError) {
        try requireWritable()
        try database.execute("VACUUM")
        try checkpoint()
    }

    /// SQLite's own consistency check: "ok" for a sound file, otherwise the problems found.
    package func integrityCheck() throws(StoreError) -> String {
        let statement = try database.prepare("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step() { lines.append(statement.text(0)) }
        return lines.joined(separator: "\n")
    }
}

/// What a store holds.
package struct StoreStatistics: Sendable, Equatable {
    package var seriesCount: Int
    package var chunkCount: Int
    /// Samples, series and bytes of sample data in the head (not yet in stored chunks).
    package var headSampleCount: Int
    package var headSeriesCount: Int
    package var headBytes: Int
    /// The database file's size, and the part of it that is free pages (reused before it grows).
    package var fileBytes: Int
    package var freeBytes: Int
}
