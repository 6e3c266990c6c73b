/// How traffic is split between a pool's healthy backends.
///
/// The engine turns a signal per backend into integer proxy weights between ``min`` and ``max``,
/// smoothing them and limiting each step so the feedback loop converges instead of oscillating.
package struct WeightsPolicy: Sendable, Hashable {
    /// The rule that turns signals into raw weights.
    package var strategy: WeightStrategy
    /// The signal the strategy reads; required by `headroom` and `inverse`.
    package var signal: String?
    /// The signal's target value; `headroom` weighs the capacity each backend has up to it.
    package var target: Double?
    /// The smallest integer weight given to a healthy backend.
    package var min: Int
    /// The largest integer weight; the proxy's range bounds it (HAProxy: 256).
    package var max: Int
    /// EWMA factor given to the newest raw weight, 0 < smoothing ≤ 1 (1 disables smoothing).
    package var smoothing: Double
    /// The largest change of one backend's weight per evaluation, relative to its current weight.
    package var maxStep: Percent?
    /// The smallest move, relative to a backend's routed weight, worth applying. Below it the
    /// engine keeps routing the previous weights (each new routing reloads nginx) while its
    /// smoothed weights keep moving, so a drift that accumulates still crosses the bound.
    /// Membership and state changes (ejection, slow start, drain, failover, panic) always apply.
    /// The default 0% applies every integer move: what a reload costs depends on the proxy
    /// (HAProxy's runtime API changes a weight without one), so the policy opts in.
    package var minChange: Percent
    /// Ramp time for new or recovered backends, as Envoy and HAProxy slow start.
    package var slowStart: PolicyDuration
    /// Signals older than this are ignored and the backend keeps its weight (Envoy weight expiration).
    package var staleAfter: PolicyDuration
    /// Fixed weights per backend for the `static` strategy; unlisted backends get ``max``.
    package var staticWeights: [BackendAddress: Int]

    /// Creates a weights policy with the documented defaults.
    package init(
        strategy: WeightStrategy = .equal,
        signal: String? = nil,
        target: Double? = nil,
        min: Int = 1,
        max: Int = 100,
        smoothing: Double = 0.5,
        maxStep: Percent? = nil,
        minChange: Percent = Percent(0),
        slowStart: PolicyDuration = .zero,
        staleAfter: PolicyDuration = .minutes(1),
        staticWeights: [BackendAddress: Int] = [:]
    ) {
        self.strategy = strategy
        self.signal = signal
        self.target = target
        self.min = min
        self.max = max
        self.smoothing = smoothing
        self.maxStep = maxStep
        self.minChange = minChange
        self.slowStart = slowStart
        self.staleAfter = staleAfter
        self.staticWeights = staticWeights
    }
}

/// The rule that turns per-backend signals into raw weights.
package enum WeightStrategy: String, Sendable, Hashable, CaseIterable {
    /// Fixed weights from the policy.
    case `static`
    /// Weight proportional to the traffic a backend can carry before its signal reaches the
    /// target, estimated as `current weight × target / signal` (Envoy's client-side WRR rule,
    /// qps / utilisation); it converges to weights proportional to capacity.
    case headroom
    /// Weight proportional to `1 / signal` (latency or in-flight requests, peak-EWMA style).
    case inverse
    /// Every healthy backend gets the same weight.
    case equal
}
