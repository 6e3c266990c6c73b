package import Collector
import Foundation
package import Logging
package import Policy
package import Prometheus
import ServiceLifecycle
package import Store
import Synchronization

/// The control loop: every pool evaluated every `evaluation_interval`, and at once when a scrape
/// changes a backend's health (so a dead backend leaves the routing within one scrape interval
/// plus the timeout, `unhealthy_after` scrapes later), and when an operator sends a command. Each
/// evaluation reads the pool's signals, runs the pure engine with the persisted state, records the
/// decisions and the new state in one transaction, then hands the routing to the pool's applier.
package actor ControlLoop: Service {
    private let context: ControlContext
    private var controllers: [String: PoolController] = [:]
    private var tickers: [String: Task<Void, Never>] = [:]
    private var stored: [String: StoredEngineState] = [:]

    /// `applier` gives each pool its applier (the logging one until the applier issue, and always
    /// under `--dry-run`).
    package init(
        store: LiveStore,
        signals: any SignalSource,
        collector: Collector,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        dryRun: Bool,
        applier: @escaping @Sendable (CompiledPolicy) -> any Applier
    ) {
        context = ControlContext(
            store: store,
            signals: signals,
            collector: collector,
            applier: applier,
            logger: logger,
            metrics: ControlMetrics(registry: registry),
            dryRun: dryRun,
            failingSince: FailureTimes()
        )
    }

    /// Loads the engine states persisted by the previous run: a hold-down, a stabilization window
    /// or an ejection in progress carries over a restart. A state of another format version is
    /// dropped with a logged reason.
    package func restoreStates() async throws {
        for state in try await context.store.writer.engineStates() {
            guard state.version == EngineState.formatVersion else {
                context.logger.warning(
                    "dropping a saved engine state of another format; the pool starts afresh",
                    metadata: ["pool": "\(state.pool)", "version": "\(state.version)", "expected": "\(EngineState.formatVersion)"]
                )
                continue
            }
            stored[state.pool] = state
        }
    }

    /// Evaluates exactly `policies` from now on: new pools start (from their saved state), removed
    /// ones stop, changed ones keep their state with the new policy.
    package func setPolicies(_ policies: [CompiledPolicy]) {
        let wanted = Dictionary(policies.map { ($0.pool, $0) }, uniquingKeysWith: { first, _ in first })
        for (pool, ticker) in tickers where wanted[pool] == nil {
            ticker.cancel()
            tickers[pool] = nil
            controllers[pool] = nil
        }
        for (pool, compiled) in wanted {
            if let controller = controllers[pool] {
                Task { await controller.update(compiled) }
                continue
            }
            var state = EngineState()
            if let saved = stored.removeValue(forKey: pool) {
                do {
                    state = try JSONDecoder().decode(EngineState.self, from: Data(saved.data))
                } catch {
                    context.logger.warning("dropping a saved engine state that does not decode", metadata: ["pool": "\(pool)", "error": "\(error)"])
                }
            }
            let controller = PoolController(compiled: compiled, state: state, context: context)
            controllers[pool] = controller
            tickers[pool] = Task {
                while !Task.isCancelled {
                    await controller.evaluate()
                    let interval = await controller.compiled.policy.evaluationInterval
                    try? await Task.sleep(for: .milliseconds(interval.milliseconds))
                }
            }
        }
    }

    /// The collector's scrape hook: a scrape that fails, or one that ends or continues a
    /// backend's recovery, evaluates its pool at once (the rise/fall thresholds count scrapes).
    package func scraped(_ report: ScrapeReport) {
        let key = "\(report.target.job)/\(report.target.instance)"
        context.failingSince.times.withLock { since in
            if report.up {
                since[key] = nil
            } else if since[key] == nil {
                since[key] = report.timestamp
            }
        }
        guard let controller = controllers[report.target.job] else { return }
        Task { await controller.observe(report) }
    }

    /// Applies an operator's command to `pool` through the engine (journaled like any decision);
    /// returns the decisions it caused, or nil when the pool is unknown.
    package func command(_ command: OperatorCommand, pool: String) async -> [Decision]? {
        guard let controller = controllers[pool] else { return nil }
        return await controller.evaluate(commands: [command])
    }

    /// Every pool's status, sorted by name.
    package func statuses() async -> [PoolStatus] {
        var result: [PoolStatus] = []
        for pool in controllers.keys.sorted() {
            if let controller = controllers[pool] { result.append(await controller.status()) }
        }
        return result
    }

    /// One pool's status, or nil when it is unknown.
    package func status(of pool: String) async -> PoolStatus? {
        await controllers[pool]?.status()
    }

    package func run() async throws {
        try? await gracefulShutdown()
        for ticker in tickers.values { ticker.cancel() }
        tickers.removeAll()
    }
}
