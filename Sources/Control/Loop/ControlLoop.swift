package import Apply
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
    private var triggers: [String: EvaluationTrigger] = [:]
    private var healthyAfter: [String: Int] = [:]
    /// Per backend, successful scrapes since it last failed, while recovery is being counted.
    private var recovering: [String: Int] = [:]
    private var stored: [String: StoredEngineState] = [:]
    /// The HA epoch every pool has taken over under (nil: not a leader, or no HA pair).
    private var leaderEpoch: Int64?

    /// `applier` builds a pool's applier (``Appliers/make(for:policyPath:dryRun:logger:clock:)``
    /// in the daemon); each pool keeps its own until its policy's apply settings change.
    package init(
        store: LiveStore,
        signals: any SignalSource,
        collector: Collector,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        dryRun: Bool,
        applier: @escaping @Sendable (CompiledPolicy) -> any Applier,
        membershipChanged: @escaping @Sendable (String, [BackendAddress]) async -> Void = { _, _ in },
        ha: (any HACoordinator)? = nil
    ) {
        context = ControlContext(
            store: store,
            signals: signals,
            collector: collector,
            applier: applier,
            membershipChanged: membershipChanged,
            logger: logger,
            metrics: ControlMetrics(registry: registry),
            dryRun: dryRun,
            ha: ha,
            failingSince: FailureTimes()
        )
    }

    /// Loads the engine states persisted by the previous run: a hold-down, a stabilization window
    /// or an ejection in progress carries over a restart. A state of another format version is
    /// dropped with a logged reason.
    package func restoreStates() async throws {
        for state in try await context.store.writer.engineStates() { stored[state.pool] = state }
    }

    /// A saved or shared engine state, or nil (logged) when it is of another format or does not
    /// decode: the pool then starts afresh.
    private func decode(_ saved: StoredEngineState) -> EngineState? {
        guard saved.version == EngineState.formatVersion else {
            context.logger.warning(
                "dropping a saved engine state of another format; the pool starts afresh",
                metadata: ["pool": "\(saved.pool)", "version": "\(saved.version)", "expected": "\(EngineState.formatVersion)"]
            )
            return nil
        }
        do {
            return try JSONDecoder.api.decode(EngineState.self, from: Data(saved.data))
        } catch {
            context.logger.warning("dropping a saved engine state that does not decode", metadata: ["pool": "\(saved.pool)", "error": "\(error)"])
            return nil
        }
    }

    /// This instance has just taken the HA lease under `epoch`: every pool continues from the
    /// state the previous leader shared (so hold-downs, ejections and stabilization windows
    /// carry over), re-applies its routing, and is evaluated at once. If the shared states cannot
    /// be read, the pools continue from what this instance decided as a follower.
    private func tookOver(epoch: Int64) async {
        var shared: [String: EngineState] = [:]
        do {
            for saved in try await context.ha?.sharedStates() ?? [] {
                if let state = decode(saved) { shared[saved.pool] = state }
            }
        } catch {
            context.logger.error(
                "took the HA lease but cannot read the shared engine states; continuing from this instance's own",
                metadata: ["epoch": "\(epoch)", "error": "\(error)"]
            )
        }
        leaderEpoch = epoch
        for (pool, controller) in controllers {
            await controller.takeOver(shared[pool], epoch: epoch)
            triggers[pool]?.request()
        }
        context.logger.notice("took over as the HA leader", metadata: ["epoch": "\(epoch)", "pools_with_shared_state": "\(shared.count)"])
    }

    /// Role, epoch and holder of the HA pair, or nil outside one.
    package func haStatus() -> HAStatus? {
        context.ha?.status()
    }

    /// Evaluates exactly `policies` from now on: new pools start (from their saved state), removed
    /// ones stop, changed ones keep their state with the new policy.
    package func setPolicies(_ policies: [CompiledPolicy]) async {
        let wanted = Dictionary(policies.map { ($0.pool, $0) }, uniquingKeysWith: { first, _ in first })
        for (pool, ticker) in tickers where wanted[pool] == nil {
            ticker.cancel()
            tickers[pool] = nil
            controllers[pool] = nil
            triggers[pool] = nil
        }
        for (pool, compiled) in wanted {
            if let controller = controllers[pool] {
                await controller.update(compiled)
                continue
            }
            let state = stored.removeValue(forKey: pool).flatMap(decode) ?? EngineState()
            let controller = PoolController(compiled: compiled, state: state, context: context, leaderEpoch: leaderEpoch)
            if let members = state.scaledMembers {
                let context = context
                Task { await context.membershipChanged(pool, members) }
            }
            let trigger = EvaluationTrigger()
            controllers[pool] = controller
            triggers[pool] = trigger
            tickers[pool] = Task { await Self.loop(controller, trigger) }
        }
        for (pool, compiled) in wanted { healthyAfter[pool] = compiled.policy.health.healthyAfter }
    }

    /// A pool's evaluations: every `evaluation_interval`, and soon after a trigger (a counted
    /// scrape, an operator command), at most once per `minimumGap` so a storm of failed scrapes
    /// costs a bounded number of evaluations. One loop per pool: nothing queues up.
    private static func loop(_ controller: PoolController, _ trigger: EvaluationTrigger) async {
        let clock = ContinuousClock()
        var nextTick = clock.now
        var last = clock.now - minimumGap
        var pending: ContinuousClock.Instant?
        while !Task.isCancelled {
            let now = clock.now
            let ticked = now >= nextTick
            if let requested = trigger.take() { pending = pending ?? requested }
            if ticked || (pending != nil && now - last >= minimumGap) {
                await controller.evaluate(requestedAt: pending)
                pending = nil
                last = clock.now
                if ticked {
                    let interval = await controller.compiled.policy.evaluationInterval
                    nextTick = last + .milliseconds(interval.milliseconds)
                }
                // An ejection that ends before the next tick is ended on time.
                if let event = await controller.nextTimedEvent() {
                    let due = last + .milliseconds(max(0, event - WallClock.now()))
                    if due < nextTick { nextTick = due }
                }
                continue
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// How often a pool loop checks for a trigger, and the least time between two evaluations of
    /// one pool: together they bound the delay a trigger adds (documented worst case: one scrape
    /// interval plus the timeout, plus these).
    static let pollInterval = Duration.milliseconds(20)
    static let minimumGap = Duration.milliseconds(100)

    /// The collector's scrape hook: a failed scrape, or a successful one while a recovery is
    /// being counted (`healthy_after`), triggers its pool's evaluation (the rise/fall thresholds
    /// count scrapes). Cheap and synchronous: the pool's own loop does the work.
    package func scraped(_ report: ScrapeReport) {
        let pool = report.target.job
        let key = "\(pool)/\(report.target.instance)"
        let wasFailing = context.failingSince.times.withLock { since -> Bool in
            if report.up { return since.removeValue(forKey: key) != nil }
            if since[key] == nil { since[key] = report.timestamp }
            return true
        }
        if !report.up {
            recovering[key] = nil
            triggers[pool]?.request()
        } else if wasFailing {
            recovering[key] = 1
            triggers[pool]?.request()
        } else if let count = recovering[key] {
            if count < (healthyAfter[pool] ?? 1) + 1 {
                recovering[key] = count + 1
                triggers[pool]?.request()
            } else {
                recovering[key] = nil
            }
        }
    }

    /// Applies an operator's command to `pool` through the engine (journaled like any decision);
    /// returns the decisions it caused, or nil when the pool is unknown.
    package func command(_ command: OperatorCommand, pool: String) async -> EvaluationOutcome? {
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

    /// The pools evaluated, by name.
    package func pools() -> [String] {
        controllers.keys.sorted()
    }

    /// One pool's status, or nil when it is unknown.
    package func status(of pool: String) async -> PoolStatus? {
        await controllers[pool]?.status()
    }

    /// Follows the collector's reports until graceful shutdown, then stops the pools' loops.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await report in self.context.collector.reports { await self.scraped(report) } }
                if let ha = self.context.ha {
                    group.addTask { for await epoch in ha.acquisitions { await self.tookOver(epoch: epoch) } }
                }
            }
        }
        // An evaluation in flight (a hook being stopped, a decision being recorded) finishes
        // before this service returns, so the store, closed after it, records it.
        let stopping = Array(tickers.values)
        tickers.removeAll()
        for ticker in stopping { ticker.cancel() }
        for ticker in stopping { await ticker.value }
    }
}

/// A pool's "evaluate soon" flag, set by scrapes and read by the pool's loop, with when it was
/// first set (for `ballast_decision_latency_seconds`).
final class EvaluationTrigger: Sendable {
    private let requested = Mutex<ContinuousClock.Instant?>(nil)

    func request() {
        requested.withLock { $0 = $0 ?? ContinuousClock.now }
    }

    /// When an evaluation was first requested since the last call, or nil; clears the request.
    func take() -> ContinuousClock.Instant? {
        requested.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
