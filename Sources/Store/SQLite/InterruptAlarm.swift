import Synchronization

/// Stops what a connection is running (`sqlite3_interrupt`) at a deadline, unless disarmed
/// first: a checkpoint of a large WAL, say, at the end of a shutdown's time. The statement fails
/// (`StoreError.isInterruption`) and its transaction rolls back.
// @unchecked: the timer only calls `Database.interrupt`, which SQLite allows from any thread,
// under `armed`'s lock, and the owner disarms the alarm before it closes the connection.
final class InterruptAlarm: @unchecked Sendable {
    private let armed = Mutex(true)
    private let database: Database
    private var timer: Task<Void, Never>?

    init(_ database: Database, at deadline: ContinuousClock.Instant) {
        self.database = database
        timer = Task.detached { [self] in
            guard (try? await Task.sleep(until: deadline)) != nil else { return }
            armed.withLock { armed in
                if armed { self.database.interrupt() }
            }
        }
    }

    /// After it returns, the alarm never interrupts.
    func disarm() {
        armed.withLock { $0 = false }
        timer?.cancel()
    }
}
