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
    /// A connection and a thread of their own for checkpoints, made at the first.
    private let checkpointer = Mutex<Checkpointer?>(nil)

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
    /// reader still needs) mostly off the writer, on a connection and a thread of its own, so
    /// appends go on meanwhile: on the writer, the first after 100,000 series were created held
    /// every scrape back for 1.9 s. The writer then copies what was committed meanwhile (little),
    /// so the whole WAL is in the file and the next append starts it over; otherwise scrapes
    /// committing during every pass would make the WAL grow without end. Returns the pages copied.
    @discardableResult
    package func passiveCheckpoint() async throws -> Int {
        let checkpointer = try self.checkpointer.withLock { (checkpointer) throws(StoreError) -> Checkpointer in
            if let checkpointer { return checkpointer }
            let database = try Database(path: path, access: .checkpoints)
            // The writer checkpoints at its close when it has the time, and only then.
            database.skipCheckpointOnClose()
            let made = Checkpointer(database: database)
            checkpointer = made
            return made
        }
        // Cancelled (a shutdown), SQLite stops the copy: the WAL stays valid, and it goes on later.
        let copied = try await withTaskCancellationHandler {
            try await checkpointer.thread.run { try checkpointer.run() }
        } onCancel: {
            checkpointer.interrupt()
        }
        if Task.isCancelled { return copied }
        return try await copied + writer.passiveCheckpoint()
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

/// The checkpoint connection and the thread that uses it, one checkpoint at a time.
// @unchecked: a `Database` is one SQLite connection for one thread at a time; only the
// checkpointer's one thread uses it, one job at a time (`interrupt`, which SQLite allows from
// any thread, excepted).
private final class Checkpointer: @unchecked Sendable {
    private let database: Database
    let thread = QueryExecutor(name: "ballast-checkpoint", threads: 1, stackSize: 1 << 20, queueLimit: 1)

    init(database: Database) {
        self.database = database
    }

    /// A passive checkpoint; the pages copied (none when another checkpoint, an import's, runs,
    /// or when `interrupt` stopped it).
    func run() throws(StoreError) -> Int {
        do {
            return try database.passiveCheckpoint()
        } catch let error where error.isInterruption {
            return 0
        }
    }

    /// Stops the checkpoint in progress, from any thread.
    func interrupt() {
        database.interrupt()
    }
}
