import Synchronization

/// The metadata logs the targets send, each decoded once and shared: a pool's backends export
/// the same HELP and TYPE lines, so 200 targets hold one dictionary instead of 200 (5 MB at 200
/// targets × 50 families, by heaptrack, before). Safe to share between scrape loops.
final class MetadataLibrary: Sendable {
    /// One log's bytes and what they decode to, held by every target whose last scrape sent it.
    final class Entry: Sendable {
        let lines: [UInt8]
        let metadata: [String: MetricMetadata]

        init(lines: [UInt8]) {
            self.lines = lines.fitted()
            metadata = MetadataLog.decode(lines)
        }
    }

    /// The log of a target that has sent no metadata yet.
    static let empty = Entry(lines: [])

    private struct State {
        var entries: [[UInt8]: Entry] = [:]
        /// Entries no target holds are dropped when the library reaches this size, then it is
        /// set to twice what is left: the cost of a sweep is spread over the logs added since.
        var sweepAt = 16
    }

    private let state = Mutex(State())

    init() {}

    /// The shared entry for `lines`, decoded now if no target holds it (outside the lock, so
    /// no other scrape waits for a large log to be decoded).
    func shared(_ lines: [UInt8]) -> Entry {
        if let entry = state.withLock({ $0.entries[lines] }) { return entry }
        let decoded = Entry(lines: lines)
        return state.withLock { state in
            if let entry = state.entries[lines] { return entry }
            if state.entries.count >= state.sweepAt {
                var unheld: [[UInt8]] = []
                var index = state.entries.startIndex
                while index != state.entries.endIndex {
                    // In place: iterating a copy of the dictionary would hold every entry twice.
                    if isKnownUniquelyReferenced(&state.entries.values[index]) { unheld.append(state.entries.keys[index]) }
                    state.entries.formIndex(after: &index)
                }
                for lines in unheld { state.entries[lines] = nil }
                state.sweepAt = max(16, 2 * state.entries.count)
            }
            state.entries[decoded.lines] = decoded
            return decoded
        }
    }

    /// Logs held, for tests.
    var count: Int { state.withLock { $0.entries.count } }
}
