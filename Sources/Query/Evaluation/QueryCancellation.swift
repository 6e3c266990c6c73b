import Synchronization

/// Stops every query that holds it, at its next check (each selector loaded, each node at each
/// step): the daemon cancels its queries when it shuts down, so a long query cannot hold the
/// exit past the 10 s the contract allows.
package final class QueryCancellation: Sendable {
    private let cancelled = Atomic(false)

    package init() {}

    /// Cancels the queries in flight and every later one.
    package func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    package var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}
