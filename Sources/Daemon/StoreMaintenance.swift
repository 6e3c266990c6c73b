import Foundation
package import Logging
package import Prometheus
import ServiceLifecycle
package import Store

/// The store's maintenance off the append path: head chunks written, covered head rows deleted
/// and the WAL checkpointed every `headInterval`, retention by age (and size) every
/// `retentionInterval`. On graceful shutdown it stops; the store closer, shut down after it,
/// flushes the head.
package struct StoreMaintenance: Service {
    private let store: LiveStore
    private let retention: Int64
    private let retentionSize: Int?
    private let logger: Logger
    private let headInterval: Duration
    private let retentionInterval: Duration
    private let runs: @Sendable (String, Bool, Double) -> Void

    /// An open chunk with no sample for this long is written: its series stopped.
    package static let idleChunkAge: Int64 = 10 * 60_000

    package init(
        store: LiveStore,
        retention: Int64,
        retentionSize: Int?,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        headInterval: Duration = .seconds(10),
        retentionInterval: Duration = .seconds(300)
    ) {
        self.store = store
        self.retention = retention
        self.retentionSize = retentionSize
        self.logger = logger
        self.headInterval = headInterval
        self.retentionInterval = retentionInterval
        @Sendable func counter(_ kind: String, _ ok: Bool) -> Counter {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "ballast",
                    metricName: "store_maintenance_runs",
                    unitName: "total",
                    helpText: "Store maintenance passes by kind and result."
                ),
                labels: [("kind", kind), ("result", ok ? "success" : "failure")]
            )
        }
        // Registered now, so /metrics lists them from the start.
        for kind in ["head", "checkpoint", "retention"] {
            _ = counter(kind, true)
            _ = counter(kind, false)
        }
        runs = { kind, ok, seconds in
            counter(kind, ok).increment()
            registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(
                    namespace: "ballast",
                    metricName: "store_maintenance_duration",
                    unitName: "seconds",
                    helpText: "Store maintenance pass duration by kind."
                ),
                labels: [("kind", kind)],
                buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 30]
            ).record(seconds)
        }
    }

    package func run() async throws {
        var lastRetention = ContinuousClock.now - retentionInterval
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: headInterval) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            let now = WallClock.now()
            // A pass over a large head takes seconds; a shutdown does not wait for its end.
            await timed("head") {
                _ = try await cancelWhenGracefulShutdown { try await store.writer.maintainHead(idleBefore: now - Self.idleChunkAge) }
            }
            if Task.isShuttingDownGracefully { return }
            await timed("checkpoint") { _ = try await cancelWhenGracefulShutdown { try await store.passiveCheckpoint() } }
            DaemonMalloc.returnFreedMemory()
            if ContinuousClock.now - lastRetention >= retentionInterval {
                lastRetention = ContinuousClock.now
                await timed("retention") { _ = try await store.writer.applyRetention(before: now - retention, maximumBytes: retentionSize) }
            }
        }
    }

    private func timed(_ kind: String, _ work: () async throws -> Void) async {
        let start = ContinuousClock.now
        var ok = true
        do {
            try await work()
        } catch {
            ok = false
            logger.error("store maintenance failed", metadata: ["kind": "\(kind)", "error": "\(error)"])
        }
        runs(kind, ok, (ContinuousClock.now - start) / .seconds(1))
    }
}

/// Closes the store on graceful shutdown, after every other service stopped (it comes first in
/// the group): the head is written to chunks and the WAL checkpointed, as far as `budget` from
/// the shutdown's start allows (the contract: exit within 10 s of SIGTERM). What is left then,
/// the next start takes over (it replays the head rows left): with 360,000 series the whole
/// shutdown took up to 7.4 s before it had a limit.
package struct StoreCloser: Service {
    private let writer: StoreWriter
    private let logger: Logger
    private let shutdown: ShutdownClock
    private let budget: Duration

    package init(writer: StoreWriter, logger: Logger, shutdown: ShutdownClock, budget: Duration) {
        self.writer = writer
        self.logger = logger
        self.shutdown = shutdown
        self.budget = budget
    }

    package func run() async throws {
        try? await gracefulShutdown()
        let deadline = shutdown.deadline(after: budget)
        do {
            switch try await writer.close(until: deadline) {
            case .complete:
                logger.info("store closed")
            case .walLeft:
                logger.notice("store closed at the shutdown time limit, before its checkpoint; the next start makes it")
            case .headRowsLeft:
                logger.notice("store closed at the shutdown time limit; the next start replays the head rows left")
            }
        } catch {
            logger.error("could not flush the store on shutdown; the head rows keep every committed sample", metadata: ["error": "\(error)"])
        }
    }
}
