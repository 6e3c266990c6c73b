import Synchronization

/// When the daemon's graceful shutdown began. Services stop one after another, so the last
/// ones (the store's close) measure the time the contract allows from the signal, not from
/// their own turn.
package final class ShutdownClock: Sendable {
    private let started = Mutex<ContinuousClock.Instant?>(nil)

    package init() {}

    /// Records now as the start, the first time only.
    package func begin() {
        started.withLock { started in
            if started == nil { started = .now }
        }
    }

    /// `budget` after the start (after now, if the shutdown has not begun).
    package func deadline(after budget: Duration) -> ContinuousClock.Instant {
        (started.withLock { $0 } ?? .now) + budget
    }
}
