import Apply
import Collector
import Foundation
import Logging
import Policy
import Prometheus
import Store
import Synchronization

/// What every pool controller shares: where signals come from, the store, the collector's view
/// of the targets, the applier of each pool, logging and metrics.
struct ControlContext: Sendable {
    let store: LiveStore
    let signals: any SignalSource
    let collector: Collector
    let applier: @Sendable (CompiledPolicy) -> any Applier
    /// Tells target discovery a pool's members after a scale hook answered them.
    let membershipChanged: @Sendable (String, [BackendAddress]) async -> Void
    let logger: Logger
    let metrics: ControlMetrics
    let dryRun: Bool
    /// The HA pair's lease, when the daemon is one of a pair; nil: it always applies.
    let ha: (any HACoordinator)?
    /// When each backend's current failure streak began, for `ballast_failover_seconds`.
    let failingSince: FailureTimes

    /// Whether this instance may apply and run hooks now, and under which fencing epoch (nil
    /// outside an HA pair). Asked right before each side effect, never cached across one.
    func leadership() -> (leads: Bool, epoch: Int64?) {
        guard let ha else { return (true, nil) }
        let epoch = ha.applyingEpoch()
        return (epoch != nil, epoch)
    }

    /// Records, for each ejection or failover the applier carried out, the time from the first
    /// failed scrape of the backend that caused it to the applier's confirmation.
    func observeFailover(_ decisions: [Decision], appliedAt: Int64?) {
        guard let appliedAt else { return }
        for decision in decisions {
            let address: BackendAddress
            switch decision.action {
            case .eject(let ejected, _): address = ejected
            case .failover(let promoted, _): address = promoted
            default: continue
            }
            let key = "\(decision.pool)/\(address)"
            if case .failover = decision.action {
                // A failover is caused by the active tier failing: its oldest failure counts.
                let oldest = failingSince.times.withLock { since in since.filter { $0.key.hasPrefix(decision.pool + "/") }.values.min() }
                if let oldest { metrics.failover.record(Double(appliedAt - oldest) / 1000) }
            } else if let since = failingSince.times.withLock({ $0[key] }) {
                metrics.failover.record(Double(appliedAt - since) / 1000)
            }
        }
    }
}

/// `pool/backend` → when its current failure streak began (ms).
final class FailureTimes: Sendable {
    let times = Mutex<[String: Int64]>([:])
}
