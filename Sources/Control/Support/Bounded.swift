import Synchronization

/// Waiting for an operation at most so long, without waiting for the operation itself to notice:
/// a task group would wait for its stuck child on the way out (a query on a black-holed
/// connection ignores cancellation), so the operation and the timer race as unstructured tasks
/// and the first to finish answers; the loser is cancelled and left to end on its own.
package enum Bounded {
    /// The operation's result if it finishes within `limit`, else nil.
    package static func value<Value: Sendable>(
        within limit: Duration,
        _ operation: @escaping @Sendable () async -> Value
    ) async -> Value? {
        let work = Task { await operation() }
        let answer: Value? = await withCheckedContinuation { continuation in
            let once = ResumeOnce<Value?>(continuation)
            Task { once.resume(await work.value) }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(nil)
            }
        }
        if answer == nil { work.cancel() }
        return answer
    }
}

/// A continuation two racers may resume: the first wins, the second is ignored.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let slot: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        slot = Mutex(continuation)
    }

    func resume(_ value: Value) {
        slot.withLock { continuation in
            continuation?.resume(returning: value)
            continuation = nil
        }
    }
}
