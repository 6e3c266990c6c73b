import Synchronization

/// The head as readers see it: the writer publishes the series a batch changed while it
/// commits that batch, under the same lock a reader holds while it starts its read transaction
/// and copies the map. A reader therefore sees the database and the head at the same commit:
/// every sample of a scrape or none of it, and never a sample both in a new chunk and missing
/// from the head (or the reverse).
///
/// Copying the map is O(1) (copy on write); the writer's next publish then copies it once.
final class SharedHead: Sendable {
    struct State: Sendable {
        var series: [Int64: HeadSeries] = [:]
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
