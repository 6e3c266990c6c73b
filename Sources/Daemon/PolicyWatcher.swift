package import Collector
import Foundation
package import Logging
import Policy
package import PolicyLoading
package import Prometheus
import ServiceLifecycle
package import UnixSignals

/// Keeps the daemon's policies and targets current: reloads on SIGHUP and when a policy file,
/// a policy directory or a file_sd file changes (checked every `pollInterval`). A policy that
/// fails to load keeps its previous version running; every `PATH:LINE:COL` problem is logged
/// and the failure counted on `/metrics` (`ballast_policy_reloads_total{result="failure"}`).
package actor PolicyWatcher: Service {
    private let sources: [String]
    private let loader: PolicyLoader
    private let collector: Collector
    private let logger: Logger
    private let hangups: UnixSignalsSequence?
    private let pollInterval: Duration
    private let onChange: @Sendable (PolicySet) async -> Void
    private let scaled: ScaledMembership
    private let reloadsSucceeded: Counter
    private let reloadsFailed: Counter
    private let policyCount: Gauge
    private var current = PolicySet()
    private var discovery = TargetDiscovery()
    private var targets: [ScrapeTarget] = []
    private var fingerprint: [String: Date] = [:]

    /// `onChange` receives every new policy set (the control loop's policies).
    package init(
        sources: [String],
        loader: PolicyLoader,
        collector: Collector,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        hangups: UnixSignalsSequence?,
        pollInterval: Duration = .seconds(2),
        scaled: ScaledMembership = ScaledMembership(),
        onChange: @escaping @Sendable (PolicySet) async -> Void = { _ in }
    ) {
        self.scaled = scaled
        self.sources = sources
        self.loader = loader
        self.collector = collector
        self.logger = logger
        self.hangups = hangups
        self.pollInterval = pollInterval
        self.onChange = onChange
        let reloads = "Policy loads (start, SIGHUP, a changed file) by result; a failed one keeps the previous policies."
        reloadsSucceeded = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "ballast", metricName: "policy_reloads", unitName: "total", helpText: reloads),
            labels: [("result", "success")]
        )
        reloadsFailed = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "ballast", metricName: "policy_reloads", unitName: "total", helpText: reloads),
            labels: [("result", "failure")]
        )
        policyCount = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "ballast", metricName: "policies", unitName: "", helpText: "Policies (pools) loaded.")
        )
    }

    /// The first load, before the daemon serves: the problems (none when every policy loaded).
    package func start() async -> [String] {
        await reload(reason: "start")
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let hangups = self.hangups {
                    group.addTask {
                        for await _ in hangups { await self.reload(reason: "SIGHUP") }
                    }
                }
                group.addTask {
                    for await _ in self.scaled.changes { await self.applyTargets() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await Task.sleep(for: self.pollInterval)
                        } catch {
                            return
                        }
                        await self.poll()
                    }
                }
                await group.waitForAll()
            }
        }
    }

    /// Reloads when a file changed; re-reads file_sd files (cheap when unchanged) either way.
    private func poll() async {
        if currentFingerprint() != fingerprint {
            _ = await reload(reason: "a policy file changed")
        } else {
            await applyTargets()
        }
    }

    /// Loads every policy (keeping the previous version of those that fail), then the targets.
    @discardableResult
    private func reload(reason: String) async -> [String] {
        fingerprint = currentFingerprint()
        let (set, problems) = PolicySet.load(sources, loader: loader, previous: current)
        for problem in problems { logger.error("policy not loaded", metadata: ["problem": "\(problem)"]) }
        (problems.isEmpty ? reloadsSucceeded : reloadsFailed).increment()
        let changed = set != current
        current = set
        policyCount.set(to: Double(set.policies.count))
        logger.info(
            "policies loaded",
            metadata: ["reason": "\(reason)", "pools": "\(set.policies.map(\.policy.pool).joined(separator: ","))", "problems": "\(problems.count)"]
        )
        await applyTargets()
        if changed { await onChange(set) }
        return problems
    }

    private func applyTargets() async {
        let (wanted, problems) = discovery.targets(for: current, scaled: scaled.current)
        for problem in problems { logger.error("file_sd not loaded; keeping its previous targets", metadata: ["problem": "\(problem)"]) }
        guard wanted != targets else { return }
        targets = wanted
        await collector.setTargets(wanted)
    }

    /// Modification times of the policy files (and the set of them).
    private func currentFingerprint() -> [String: Date] {
        var result: [String: Date] = [:]
        for file in (try? PolicySet.files(in: sources)) ?? [] {
            result[file] = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? .distantPast
        }
        return result
    }
}
