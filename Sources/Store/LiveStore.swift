import Synchronization

/// The store as a long-running daemon uses it: one writer (`StoreWriter`, an actor, so appends,
/// maintenance and journal writes never interleave) and any number of concurrent readers, each
/// on its own read-only connection, that see every committed sample, head included, and never
/// half a batch. Reads do not wait for the writer (WAL readers never block), so a query is not
/// held up by a long write, and another process (`ballast import`) may write between batches.
package final class LiveStore: Sendable {
    /// The database file.
    package let path: String
    /// The single writer.
    package let writer: StoreWriter
    private let options: Store.Options
    private let shared: SharedHead
    private let idleReaders = Mutex<[ReaderConnection]>([])
    /// A connection of its own for checkpoints, opened at the first, and the thread they run on.
    private let checkpointConnection = Mutex<CheckpointConnection?>(nil)
    private let checkpointThread = QueryExecutor(name: "ballast-checkpoint", threads: 1, stackSize: 1 << 20, queueLimit: 1)

    /// Idle reader connections kept open for reuse; more are opened when needed.
    private static let keptReaders = 4

    /// Opens (creating when missing) the store at `path`.
    package init(path: String, options: Store.Options = Store.Options()) throws(StoreError) {
        let store = try Store(path: path, options: options)
        // Checkpoints copy WAL pages into the file: maintenance runs them, not the append that
        // happens to cross SQLite's 1,000-page mark (measured: it set the appends' p99).
        try store.database.execute("PRAGMA wal_autocheckpoint=0")
        store.index.caches = false
        self.path = path
        self.options = store.options
        shared = store.shared
        writer = StoreWriter(store)
    }

    /// Runs `body` over a consistent, read-only view of the store: what was committed when it
    /// started, head included.
    package func read<T>(_ body: (Store) throws -> T) throws -> T {
        let connection = try checkOut()
        try connection.store.beginSnapshot()
        defer {
            connection.store.endSnapshot()
            checkIn(connection)
        }
        return try body(connection.store)
    }

    /// The store's figures for `/metrics`, without a reader's view of the head: the head is
    /// summed under its lock instead, since a view held while the writer appends makes the writer
    /// copy the whole head map (27 MB for 100,000 series, measured with heaptrack).
    package func statistics() throws -> StoreStatistics {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try connection.store.statistics()
    }

    /// Copies the pages the WAL holds into the database file (a passive checkpoint: what no
    /// reader still needs), off the writer: on its own connection and thread, so appends go on
    /// meanwhile. On the writer, the first one after 100,000 series were created held every
    /// scrape back for 1.9 s (syncing a WAL of several hundred MB), and the scrapes queued
    /// behind it set the daemon's peak memory.
    /// Returns the pages copied.
    @discardableResult
    package func checkpoint() async throws -> Int {
        try await checkpointThread.run { [self] in try checkpointNow() }
    }

    private func checkpointNow() throws(StoreError) -> Int {
        try checkpointConnection.withLock { (connection) throws(StoreError) -> Int in
            if connection == nil { connection = CheckpointConnection(database: try Database(path: path)) }
            // One row: busy, pages in the WAL, pages copied.
            let statement = try connection!.database.prepare("PRAGMA wal_checkpoint(PASSIVE)")
            return try statement.step() ? Int(statement.int64(2)) : 0
        }
    }

    private func checkOut() throws(StoreError) -> ReaderConnection {
        if let idle = idleReaders.withLock({ $0.popLast() }) { return idle }
        return ReaderConnection(store: try Store(path: path, options: options, readOnly: true, shared: shared))
    }

    private func checkIn(_ connection: ReaderConnection) {
        idleReaders.withLock { idle in
            if idle.count < Self.keptReaders { idle.append(connection) }
        }
    }
}

/// A reader's connection while it is idle in the pool or used by one caller.
// @unchecked: a `Store` is one SQLite connection for one thread at a time; the pool hands each
// connection to a single caller between checkOut and checkIn, and nobody else holds it.
private final class ReaderConnection: @unchecked Sendable {
    let store: Store
    init(store: Store) { self.store = store }
}

/// The checkpoint connection, used on the checkpoint thread under its lock only.
// @unchecked: a `Database` is one SQLite connection for one thread at a time, and the lock
// around it lets one checkpoint use it at a time.
private final class CheckpointConnection: @unchecked Sendable {
    let database: Database
    init(database: Database) { self.database = database }
}
