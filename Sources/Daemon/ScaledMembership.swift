package import Policy
import Synchronization

/// The members each scaled pool has as its scale hook last answered them. Once a pool has an
/// answer, it replaces the policy's static list and file_sd targets as the pool's active
/// members (standby backends stay as the policy lists them); the control loop writes it, target
/// discovery reads it, and every change wakes the policy watcher to update the scrape targets.
package final class ScaledMembership: Sendable {
    private let members = Mutex<[String: [BackendAddress]]>([:])
    package let changes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    package init() {
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Records `pool`'s members and wakes target discovery; no members returns the pool to its
    /// policy's static list and file_sd (its scale hook was removed).
    package func set(_ pool: String, _ addresses: [BackendAddress]) {
        members.withLock { $0[pool] = addresses.isEmpty ? nil : addresses }
        continuation.yield()
    }

    /// Every scaled pool's members.
    package var current: [String: [BackendAddress]] {
        members.withLock { $0 }
    }
}
