/// One pool's policy file: where its backends are, which signals describe them, and how Ballast
/// splits traffic, scales and fails over for it.
///
/// Only ``pool`` and ``backends`` are required; a policy without ``weights``, ``scaling`` or
/// ``apply`` only observes. Every other section has the defaults documented on its type.
package struct PoolPolicy: Sendable, Hashable {
    /// The pool's name: an identifier used in logs, the journal and proxy configurations.
    package var pool: String
    /// Where the pool's backends come from.
    package var backends: BackendSource
    /// How backends' `/metrics` endpoints are scraped.
    package var scrape: ScrapeSettings
    /// How often the engine evaluates the pool.
    package var evaluationInterval: PolicyDuration
    /// How the proxy picks a backend for each request.
    package var balance: BalanceAlgorithm
    /// The key of `balance: hash`.
    package var hash: HashBalance?
    /// Named PromQL expressions evaluated per backend, in file order.
    package var signals: [SignalDefinition]
    /// A Prometheus-compatible API the signals are read from; nil: the daemon's configuration
    /// decides (its own `signals_from`, or the local store).
    package var signalsFrom: SignalsFrom?
    /// How traffic is split between healthy backends; `nil` leaves weights alone.
    package var weights: WeightsPolicy?
    /// When backends count as unhealthy and are ejected.
    package var health: HealthPolicy
    /// Standby backends and their promotion rules; `nil` means a single tier.
    package var failover: FailoverPolicy?
    /// How many replicas the pool needs; `nil` disables scaling.
    package var scaling: ScalingPolicy?
    /// The capacity model replay uses to simulate replicas.
    package var capacity: CapacityModel?
    /// The price of a replica, for replay's cost report.
    package var cost: CostModel?
    /// What replay judges the policy against.
    package var slo: SLOPolicy
    /// How replay feeds the policy's signals from its load model.
    package var replay: ReplaySettings?
    /// Where decisions are applied; empty means observe only.
    package var apply: ApplySettings

    /// Creates a policy; every section but the pool name and backends has its documented default.
    package init(
        pool: String,
        backends: BackendSource,
        scrape: ScrapeSettings = ScrapeSettings(),
        evaluationInterval: PolicyDuration = PoolPolicy.defaultEvaluationInterval,
        balance: BalanceAlgorithm = .roundRobin,
        hash: HashBalance? = nil,
        signals: [SignalDefinition] = [],
        weights: WeightsPolicy? = nil,
        health: HealthPolicy = HealthPolicy(),
        failover: FailoverPolicy? = nil,
        scaling: ScalingPolicy? = nil,
        capacity: CapacityModel? = nil,
        cost: CostModel? = nil,
        slo: SLOPolicy = SLOPolicy(),
        replay: ReplaySettings? = nil,
        apply: ApplySettings = ApplySettings()
    ) {
        self.pool = pool
        self.backends = backends
        self.scrape = scrape
        self.evaluationInterval = evaluationInterval
        self.balance = balance
        self.hash = hash
        self.signals = signals
        self.signalsFrom = nil
        self.weights = weights
        self.health = health
        self.failover = failover
        self.scaling = scaling
        self.capacity = capacity
        self.cost = cost
        self.slo = slo
        self.replay = replay
        self.apply = apply
    }

    /// The evaluation period when the policy names none (DESIGN.md §3: 15 s).
    package static let defaultEvaluationInterval = PolicyDuration.seconds(15)

    /// The definition of the signal called `name`, if the policy defines one.
    package func signal(named name: String) -> SignalDefinition? {
        signals.first { $0.name == name }
    }
}
