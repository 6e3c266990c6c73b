internal import CSQLite

/// SQLite's destructor flag telling it to copy bound bytes before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement, compiled once and reset between uses: the hot paths (append, read)
/// bind new values into the same statement rather than parsing SQL again.
final class Statement {
    private let database: Database
    private var handle: OpaquePointer?
    let sql: String

    init(database: Database, sql: String) throws(StoreError) {
        self.database = database
        self.sql = sql
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard rc == SQLITE_OK else { throw .sqlite(database.error(rc, sql)) }
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Clears the previous run and binds `values` to the parameters, in order.
    @discardableResult
    func reset(_ values: SQLiteValue...) throws(StoreError) -> Statement {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
        return self
    }

    /// Clears the previous run so new values can be bound (the hot paths bind typed values).
    func reset() {
        sqlite3_reset(handle)
    }

    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBytes { raw in
            // A zero-length blob must still bind as a blob, not NULL.
            _ = sqlite3_bind_blob(
                handle,
                index,
                raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                Int32(raw.count),
                transient
            )
        }
    }

    func bind(_ value: SQLiteValue, at index: Int32) throws(StoreError) {
        let rc: Int32
        switch value {
        case .integer(let integer): rc = sqlite3_bind_int64(handle, index, integer)
        case .real(let real): rc = sqlite3_bind_double(handle, index, real)
        case .text(let text): rc = sqlite3_bind_text(handle, index, text, -1, transient)
        case .blob(let bytes):
            bind(bytes, at: index)
            rc = SQLITE_OK
        case .null: rc = sqlite3_bind_null(handle, index)
        }
        guard rc == SQLITE_OK else { throw .sqlite(database.error(rc, sql)) }
    }

    /// Advances to the next row; false when the statement is done.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            // Releases the statement's read snapshot at once; a statement left mid-way would
            // hold it and block WAL checkpoints.
            sqlite3_reset(handle)
            return false
        default:
            let error = database.error(rc, sql)
            sqlite3_reset(handle)
            throw .sqlite(error)
        }
    }

    /// Reads the first row's column 0 as an integer (nil for no row or NULL), then resets.
    func singleInt64() throws(StoreError) -> Int64? {
        defer { reset() }
        guard try step(), !isNull(0) else { return nil }
        return int64(0)
    }

    /// Runs a statement that returns no rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}
