/// The embedded time-series database: one SQLite file holding the series index, a durable head
/// of recent samples, compressed chunks, rollups and the decisions journal.
///
/// One `Store` is one connection and one writer; it is not thread-safe, so the daemon keeps it
/// inside an actor. Writes are batched: one `append` is one transaction (WAL,
/// `synchronous=NORMAL`), so a crash loses at most the batch in flight and never corrupts the
/// file. Recent samples live in the `head` table, mirrored in memory, and are compacted into
/// Gorilla-encoded chunks of `Options.chunkSize` samples.
public final class Store {
    /// Tuning knobs; the defaults suit a daemon scraping every few seconds.
    public struct Options: Sendable {
        /// Samples per compressed chunk (Prometheus uses 120).
        public var chunkSize: Int
        /// Head samples that trigger a compaction after an append.
        public var compactionThreshold: Int
        /// A series with no new sample for this long (ms, against the newest sample stored) has
        /// its head remainder cut into a short chunk at the next compaction.
        public var idleSeriesFlushAge: Int64

        /// The defaults suit a daemon; tests shrink the chunk size to exercise compaction.
        public init(chunkSize: Int = 120, compactionThreshold: Int = 250_000, idleSeriesFlushAge: Int64 = 3_600_000) {
            self.chunkSize = chunkSize
            self.compactionThreshold = compactionThreshold
            self.idleSeriesFlushAge = idleSeriesFlushAge
        }
    }

    /// The database file.
    public let path: String
    public let options: Options
    let database: Database
    let index: SeriesIndex
    let readOnly: Bool

    /// The head in memory: per series, its samples not yet in a chunk, in timestamp order.
    var head: [Int64: [Sample]] = [:]
    var headCount = 0
    /// Per series, the newest timestamp stored (head or chunk), loaded on first use.
    var lastTimestamps: [Int64: Int64] = [:]
    /// The newest timestamp appended through the head, the store's notion of "now" for
    /// idle-series flushing (no wall clock inside).
    var newestTimestamp: Int64 = .min
    /// Per scrape target, the series its last successful scrape produced (for staleness).
    var targetSeries: [String: Set<Int64>] = [:]

    let insertHead: Statement
    let insertChunk: Statement
    let chunksInRange: Statement
    let newestChunkTime: Statement

    /// Opens or creates the store at `path`, migrating its schema forward, and loads the head.
    /// `readOnly` opens an existing file for reading only (queries, export).
    public init(path: String, options: Options = Options(), readOnly: Bool = false) throws(StoreError) {
        self.path = path
        self.options = options
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
        index = try SeriesIndex(database: database)
        insertHead = try database.prepare("INSERT INTO head (series_id, t, v) VALUES (?, ?, ?)")
        insertChunk = try database.prepare("INSERT INTO chunks (series_id, max_t, span, data) VALUES (?, ?, ?, ?)")
        chunksInRange = try database.prepare(
            "SELECT data FROM chunks WHERE series_id = ? AND max_t >= ? AND max_t - span <= ? ORDER BY max_t"
        )
        newestChunkTime = try database.prepare("SELECT MAX(max_t) FROM chunks WHERE series_id = ?")
        try loadHead()
    }

    /// Reads the durable head back into memory (after open or a failed write).
    func loadHead() throws(StoreError) {
        head.removeAll(keepingCapacity: true)
        lastTimestamps.removeAll(keepingCapacity: true)
        headCount = 0
        let statement = try database.prepare("SELECT series_id, t, v FROM head ORDER BY rowid")
        while try statement.step() {
            let sample = Sample(timestamp: statement.int64(1), value: Double(bitPattern: UInt64(bitPattern: statement.int64(2))))
            head[statement.int64(0), default: []].append(sample)
            headCount += 1
            newestTimestamp = max(newestTimestamp, sample.timestamp)
        }
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
        newestChunkTime.reset()
        newestChunkTime.bind(id, at: 1)
        if let chunkNewest = try newestChunkTime.singleInt64() {
            newest = max(newest ?? .min, chunkNewest)
        }
        if let newest { lastTimestamps[id] = newest }
        return newest
    }

    /// Writes one chunk row. Callers pass samples in timestamp order with distinct timestamps.
    func writeChunk(seriesID: Int64, samples: ArraySlice<Sample>) throws(StoreError) {
        guard let first = samples.first, let last = samples.last else { return }
        insertChunk.reset()
        insertChunk.bind(seriesID, at: 1)
        insertChunk.bind(last.timestamp, at: 2)
        insertChunk.bind(last.timestamp - first.timestamp, at: 3)
        insertChunk.bind(XORChunk(encoding: samples).bytes, at: 4)
        try insertChunk.run()
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
