/// The embedded time-series database: one SQLite file holding the series index, a durable head
/// of recent samples, compressed chunks, rollups and the decisions journal.
///
/// One `Store` is one connection and one writer; it is not thread-safe, so the daemon keeps it
/// inside an actor. Writes are batched: one `append` is one transaction (WAL,
/// `synchronous=NORMAL`), so a crash loses at most the batch in flight and never corrupts the
/// file. Recent samples live in the `head` table, mirrored in memory; once a time block
/// (`Options.blockRange`, 2 h) is half a block in the past, its samples are compacted into
/// Gorilla-encoded chunks of up to `Options.chunkSize` samples.
public final class Store {
    /// Tuning knobs; the defaults suit a daemon scraping every few seconds.
    public struct Options: Sendable {
        /// Samples per compressed chunk at most (Prometheus uses 120).
        public var chunkSize: Int
        /// The time block (ms) chunks are clustered and compacted by; no chunk spans two. Fixed
        /// for the life of a database file (Prometheus: 2 h).
        public var blockRange: Int64

        /// The defaults suit a daemon; tests shrink both to exercise compaction.
        public init(chunkSize: Int = 120, blockRange: Int64 = 7_200_000) {
            self.chunkSize = chunkSize
            self.blockRange = blockRange
        }
    }

    /// The database file.
    public let path: String
    /// The options in force. `blockRange` is the one the file was created with, whatever was
    /// asked: block numbers are stored, so reading with another range would miss chunks.
    public let options: Options
    let database: Database
    let index: SeriesIndex
    let readOnly: Bool

    /// The head in memory: per series, its samples not yet in a chunk, in timestamp order.
    var head: [Int64: [Sample]] = [:]
    /// Samples accepted by the batch being written, stored as one head row at its end.
    var pendingHead: [HeadBatch.Entry] = []
    var headCount = 0
    /// Per series, the newest timestamp stored (head or chunk), loaded on first use.
    var lastTimestamps: [Int64: Int64] = [:]
    /// The newest and oldest timestamps in the head: the store's notion of "now" for deciding
    /// which blocks are complete (no wall clock inside).
    var newestTimestamp: Int64 = .min
    var oldestHeadTimestamp: Int64 = .max
    /// Per scrape target, the series its last successful scrape produced (for staleness).
    var targetSeries: [String: Set<Int64>] = [:]

    let insertHead: Statement
    let insertChunk: Statement
    let widenSeriesSpan: Statement
    let chunksInRange: Statement
    let seriesChunkSpan: Statement

    /// Opens or creates the store at `path`, migrating its schema forward, and loads the head.
    /// `readOnly` opens an existing file for reading only (queries, export).
    public init(path: String, options: Options = Options(), readOnly: Bool = false) throws(StoreError) {
        self.path = path
        self.readOnly = readOnly
        database = try Database(path: path, readOnly: readOnly)
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
        try loadHead()
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

    /// Reads the durable head back into memory (after open or a failed write).
    func loadHead() throws(StoreError) {
        head.removeAll(keepingCapacity: true)
        lastTimestamps.removeAll(keepingCapacity: true)
        pendingHead.removeAll()
        headCount = 0
        let statement = try database.prepare("SELECT data FROM head ORDER BY id")
        oldestHeadTimestamp = .max
        while try statement.step() {
            guard let entries = HeadBatch.decode(statement.blob(0)) else { throw .damagedHead(path: path) }
            for entry in entries {
                head[entry.series, default: []].append(entry.sample)
                headCount += 1
                newestTimestamp = max(newestTimestamp, entry.sample.timestamp)
                oldestHeadTimestamp = min(oldestHeadTimestamp, entry.sample.timestamp)
            }
        }
        // Rows rewritten by a compaction follow later rows; put each series back in time order.
        for (id, samples) in head where zip(samples, samples.dropFirst()).contains(where: { $0.timestamp >= $1.timestamp }) {
            head[id] = Self.orderedUnique(samples)
        }
    }

    /// Removes head samples older than `cutoff` from the table: whole rows when they are all
    /// older, and rows that straddle it rewritten with what they keep. Memory is the caller's.
    func trimHeadRows(before cutoff: Int64) throws(StoreError) {
        let straddling = try database.prepare("SELECT id, data FROM head WHERE min_t < ?1 AND max_t >= ?1")
        try straddling.reset(.integer(cutoff))
        var rewrites: [(id: Int64, kept: [HeadBatch.Entry])] = []
        while try straddling.step() {
            guard let entries = HeadBatch.decode(straddling.blob(1)) else { throw .damagedHead(path: path) }
            rewrites.append((straddling.int64(0), entries.filter { $0.sample.timestamp >= cutoff }))
        }
        try database.prepare("DELETE FROM head WHERE max_t < ?").reset(.integer(cutoff)).run()
        let delete = try database.prepare("DELETE FROM head WHERE id = ?")
        for rewrite in rewrites {
            try delete.reset(.integer(rewrite.id)).run()
            try insertHeadRow(rewrite.kept)
        }
    }

    /// The block holding `timestamp`.
    func block(of timestamp: Int64) -> Int64 {
        floorDiv(timestamp, options.blockRange)
    }

    /// Drops every in-memory cache after a rolled-back transaction, so memory matches the file.
    func resynchronize() {
        index.forgetCache()
        try? loadHead()
    }

    func requireWritable() throws(StoreError) {
        if readOnly { throw .readOnly(path: path) }
    }

    /// The newest timestamp stored for series `id`, or nil when it has no samples.
    func lastTimestamp(of id: Int64) throws(StoreError) -> Int64? {
        if let known = lastTimestamps[id] { return known }
        var newest = head[id]?.last?.timestamp
        if let chunks = try chunkSpan(of: id) {
            newest = max(newest ?? .min, chunks.upperBound)
        }
        if let newest { lastTimestamps[id] = newest }
        return newest
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
        insertChunk.reset()
        insertChunk.bind(block, at: 1)
        insertChunk.bind(seriesID, at: 2)
        insertChunk.bind(last.timestamp - block * options.blockRange, at: 3)
        insertChunk.bind(last.timestamp - first.timestamp, at: 4)
        insertChunk.bind(XORChunk(encoding: samples).bytes, at: 5)
        try insertChunk.run()
        widenSeriesSpan.reset()
        widenSeriesSpan.bind(seriesID, at: 1)
        widenSeriesSpan.bind(first.timestamp, at: 2)
        widenSeriesSpan.bind(last.timestamp, at: 3)
        try widenSeriesSpan.run()
    }

    /// Counts of what the store holds, for status pages and tests.
    public func statistics() throws(StoreError) -> StoreStatistics {
        func count(_ sql: String) throws(StoreError) -> Int {
            Int(try database.prepare(sql).singleInt64() ?? 0)
        }
        return StoreStatistics(
            seriesCount: try count("SELECT COUNT(*) FROM series"),
            chunkCount: try count("SELECT COUNT(*) FROM chunks"),
            headSampleCount: headCount
        )
    }

    /// Moves every WAL frame into the main file and truncates the WAL, so the file size is the
    /// data size (benchmarks, backups).
    public func checkpoint() throws(StoreError) {
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Rewrites the file with every page full and in key order, then truncates the WAL. Bulk
    /// writes that interleave series (an import, a compaction of many series) leave pages
    /// part-empty; this is the store's equivalent of Prometheus compacting blocks. It needs a
    /// moment with no other connection writing.
    public func vacuum() throws(StoreError) {
        try requireWritable()
        try database.execute("VACUUM")
        try checkpoint()
    }

    /// SQLite's own consistency check: "ok" for a sound file, otherwise the problems found.
    public func integrityCheck() throws(StoreError) -> String {
        let statement = try database.prepare("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step() { lines.append(statement.text(0)) }
        return lines.joined(separator: "\n")
    }
}

/// What a store holds.
public struct StoreStatistics: Sendable, Equatable {
    public var seriesCount: Int
    public var chunkCount: Int
    public var headSampleCount: Int
}
