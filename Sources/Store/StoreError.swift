internal import CSQLite

/// Why a store operation failed, worded so the user knows what to do next.
package enum StoreError: Error, CustomStringConvertible, Sendable {
    /// SQLite reported an error (disk full, locked, damaged file...).
    case sqlite(SQLiteError)
    /// The file was written by a newer Ballast with a schema this build does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A stored chunk does not decode.
    case damagedChunk(path: String, seriesID: Int64, ChunkDecodingError)
    /// A head row does not decode.
    case damagedHead(path: String)
    /// A write was attempted on a store opened read-only.
    case readOnly(path: String)
    /// A scrape came after the daemon's shutdown stopped taking them (`StoreWriter.endAppends`).
    case closing

    package var description: String {
        switch self {
        case .sqlite(let error):
            return error.description
        case .newerSchema(let path, let found, let supported):
            return "\(path): database schema version \(found) is newer than this Ballast supports (\(supported)); upgrade Ballast"
        case .damagedChunk(let path, let seriesID, let error):
            return "\(path): series \(seriesID): \(error)"
        case .damagedHead(let path):
            return "\(path): the head table is damaged; restore the file from a backup or re-import"
        case .readOnly(let path):
            return "\(path): opened read-only; open the store writable to change it"
        case .closing:
            return "the store takes no more scrapes: the daemon is shutting down"
        }
    }

    /// Whether SQLite stopped the statement because it was asked to (`Database.interrupt`).
    var isInterruption: Bool {
        if case .sqlite(let failure) = self { return failure.code & 0xFF == SQLITE_INTERRUPT }
        return false
    }
}
