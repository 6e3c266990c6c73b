import Foundation
import Synchronization

/// Runs blocking store work (a PromQL query, a series listing) on threads of its own, so a slow
/// or pathological query never occupies the cooperative thread pool that serves HTTP, schedules
/// scrapes and runs the store's writer (on 2 cores a couple of slow queries would otherwise stall
/// all of them). The threads have large stacks: evaluating a deeply nested expression recurses.
/// At most `queueLimit` jobs wait; beyond that a job fails at once with `overloaded`.
package final class QueryExecutor: Sendable {
    private struct Job {
        var work: @Sendable () -> Void
    }

    private let queue = Mutex<[Job]>([])
    private let available = DispatchSemaphore(value: 0)
    private let queueLimit: Int

    /// `threads` workers named `name`, each with `stackSize` bytes of stack.
    package init(name: String, threads: Int, stackSize: Int = 256 << 20, queueLimit: Int = 256) {
        self.queueLimit = queueLimit
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                while true {
                    available.wait()
                    let job = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                    job?.work()
                }
            }
            thread.name = "\(name)-\(index)"
            thread.stackSize = stackSize
            thread.start()
        }
    }

    /// Runs `work` on one of the executor's threads and returns its result.
    package func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = queue.withLock { jobs -> Bool in
                guard jobs.count < queueLimit else { return false }
                jobs.append(Job { continuation.resume(with: Result { try work() }) })
                return true
            }
            if accepted {
                available.signal()
            } else {
                continuation.resume(throwing: QueryExecutorError.overloaded(queued: queueLimit))
            }
        }
    }
}

/// Why a query was not run.
package enum QueryExecutorError: Error, CustomStringConvertible {
    case overloaded(queued: Int)

    package var description: String {
        switch self {
        case .overloaded(let queued): "\(queued) queries are already waiting; try again shortly"
        }
    }
}

extension LiveStore {
    /// `read` on one of `executor`'s threads: for callers on the cooperative pool (HTTP
    /// handlers, the control loop).
    package func query<T: Sendable>(on executor: QueryExecutor, _ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await executor.run { try self.read(body) }
    }

    /// `statistics()` on one of `executor`'s threads.
    package func statistics(on executor: QueryExecutor) async throws -> StoreStatistics {
        try await executor.run { try self.statistics() }
    }
}
