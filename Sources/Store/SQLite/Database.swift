internal import CSQLite

/// One SQLite connection. Not thread-safe by design: the store has one writer, and a connection
/// is used by one task at a time (SQLite is opened with `NOMUTEX`).
final class Database {
    let path: String
    private(set) var handle: OpaquePointer?

    /// How a connection uses the file.
    enum Access {
        /// Reads and writes, creating the file and setting it up (page size, vacuum, WAL).
        case readWrite
        case readOnly
        /// Only checkpoints an existing file: read-write, but it sets nothing up, since setting
        /// up an existing file takes the write lock the writer holds.
        case checkpoints
    }

    /// Opens the database at `path`, in WAL mode with `synchronous=NORMAL`: a crash can lose the
    /// last commits but never corrupts the file.
    init(path: String, access: Access = .readWrite) throws(StoreError) {
        self.path = path
        let flags =
            switch access {
            case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            case .readOnly: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            case .checkpoints: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
            }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            handle = nil
            throw .sqlite(SQLiteError(code: rc, message: message, context: path))
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
        if access == .readWrite {
            // Only takes effect on a new file, and only before WAL mode is set. Measured on
            // node_exporter and synthetic data (scripts/bench/store.sh): 4 KiB packs chunk rows
            // of real data (~200 bytes) tightly and keeps near-empty tables cheap; 8 and 16 KiB
            // only win on poorly compressible data.
            try execute("PRAGMA page_size=\(Self.pageSize)")
            // Also only for a new file: the pages the head's rows free when the head is written
            // out can be given back (`Store.releaseFreePages`) instead of staying in the file.
            try execute("PRAGMA auto_vacuum=INCREMENTAL")
            try execute("PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=NORMAL")
    }

    /// Copies what the WAL holds and no reader needs into the file; the pages copied (none when
    /// another connection is checkpointing).
    func passiveCheckpoint() throws(StoreError) -> Int {
        // One row: busy, pages in the WAL, pages copied (-1 when busy).
        let statement = try prepare("PRAGMA wal_checkpoint(PASSIVE)")
        return try statement.step() ? max(0, Int(statement.int64(2))) : 0
    }

    /// Stops the statement this connection is running, from any thread (SQLite allows it while
    /// the connection is open); it fails with `SQLITE_INTERRUPT`. Nothing when none runs.
    func interrupt() {
        sqlite3_interrupt(handle)
    }

    /// Closing this connection leaves the WAL as it is, rather than copying it into the file
    /// when no other connection is open: a shutdown out of time must not spend seconds on a
    /// checkpoint that the next start's maintenance makes anyway.
    func skipCheckpointOnClose() {
        ballast_sqlite3_no_checkpoint_on_close(handle)
    }

    /// The page size of new database files.
    static let pageSize = 4_096

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows (schema, pragmas, transactions).
    func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw .sqlite(SQLiteError(code: rc, message: message, context: "\(path): \(sql)"))
        }
    }

    /// Compiles `sql` once; the caller keeps the statement and reuses it.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last inserted row.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The error SQLite recorded for the last call.
    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: "\(path): \(context)")
    }
}
