import Synchronization

/// The one head, shared by the writer and its readers. The writer changes it only inside a
/// write transaction, holding this lock from `BEGIN` to `COMMIT`; a reader takes the same lock
/// while it starts its read transaction and copies the map. A reader therefore sees the
/// database and the head at the same commit: every sample of a scrape or none of it, and never
/// a sample both in a new chunk and missing from the head (or the reverse).
///
/// Copying the map is O(1) (copy on write); while a reader holds it, the writer copies the shards
/// it touches (`HeadMap`: a scrape's one or two) and a series' chunk when it next appends to it.
/// Nothing is copied while no reader looks (publishing every changed series at every commit, as
/// an earlier version did, copied each scraped series' chunk at every scrape).
final class SharedHead: Sendable {
    struct State: Sendable {
        var series = HeadMap()
        /// Bumped when series are deleted (retention), so readers drop cached labels of ids
        /// that SQLite may hand out again.
        var seriesGeneration = 0
    }

    private let state = Mutex(State())

    /// Runs `body` with the state locked.
    func withLock<T: Sendable, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        try state.withLock { (state: inout State) throws(E) -> T in try body(&state) }
    }
}
