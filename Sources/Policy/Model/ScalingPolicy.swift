/// How many replicas a pool needs: the Kubernetes HPA pipeline with optional step scaling,
/// cooldown and a KEDA-style fallback.
///
/// Every default equals the HPA's (tolerance 0.1, scale-down stabilization 300 s, scale-up
/// 100% or 4 pods per 15 s whichever is more, scale-down 100% per 15 s).
package struct ScalingPolicy: Sendable, Hashable {
    /// The fewest replicas.
    package var min: Int
    /// The most replicas.
    package var max: Int
    /// Target-tracking goals; each proposes a replica count and the largest wins.
    package var targets: [ScalingTarget]
    /// Rate limits and stabilization when scaling up.
    package var up: ScalingBehavior
    /// Rate limits and stabilization when scaling down.
    package var down: ScalingBehavior
    /// After any scale event, no further one for this long.
    package var cooldown: PolicyDuration
    /// Step-scaling rules (AWS/Nomad style), proposing alongside the targets.
    package var steps: StepScaling?
    /// The replica count used while metrics keep failing.
    package var fallback: ScalingFallback?
    /// The command that changes the replica count.
    package var hook: HookCommand?
    /// Scaling ahead of a learnt seasonal load, on top of the reactive targets.
    package var predictive: PredictiveScaling?

    /// Creates a scaling policy with HPA defaults.
    package init(
        min: Int = 1,
        max: Int,
        targets: [ScalingTarget] = [],
        up: ScalingBehavior = .hpaScaleUp,
        down: ScalingBehavior = .hpaScaleDown,
        cooldown: PolicyDuration = .zero,
        steps: StepScaling? = nil,
        fallback: ScalingFallback? = nil,
        hook: HookCommand? = nil,
        predictive: PredictiveScaling? = nil
    ) {
        self.predictive = predictive
        self.min = min
        self.max = max
        self.targets = targets
        self.up = up
        self.down = down
        self.cooldown = cooldown
        self.steps = steps
        self.fallback = fallback
        self.hook = hook
    }
}

/// One target-tracking goal: keep the average of `signal` per replica near `value`.
package struct ScalingTarget: Sendable, Hashable {
    /// The signal tracked.
    package var signal: String
    /// The desired per-replica value.
    package var value: Double
    /// The relative band around ``value`` inside which no change is proposed.
    package var tolerance: Double

    /// Creates a target; the default tolerance is HPA's 0.1.
    package init(signal: String, value: Double, tolerance: Double = 0.1) {
        self.signal = signal
        self.value = value
        self.tolerance = tolerance
    }
}

/// Stabilization and rate limits for one scaling direction (HPA's `behavior.scaleUp/scaleDown`).
package struct ScalingBehavior: Sendable, Hashable {
    /// Recommendations over this window are combined (up: minimum, down: maximum).
    package var stabilization: PolicyDuration
    /// Rate limits, each allowing a change per period.
    package var policies: [ScalingRateLimit]
    /// Which policy applies when several do.
    package var select: ScalingSelect

    /// Creates a behavior.
    package init(stabilization: PolicyDuration, policies: [ScalingRateLimit], select: ScalingSelect = .max) {
        self.stabilization = stabilization
        self.policies = policies
        self.select = select
    }

    /// HPA's default scale-up: no stabilization, 100% or 4 pods per 15 s, the larger.
    package static let hpaScaleUp = ScalingBehavior(
        stabilization: .zero,
        policies: [
            ScalingRateLimit(change: .percent(100), period: .seconds(15)),
            ScalingRateLimit(change: .replicas(4), period: .seconds(15)),
        ],
        select: .max
    )

    /// HPA's default scale-down: 300 s stabilization, 100% per 15 s.
    package static let hpaScaleDown = ScalingBehavior(
        stabilization: .seconds(300),
        policies: [ScalingRateLimit(change: .percent(100), period: .seconds(15))],
        select: .max
    )
}

/// A rate limit: at most `change` per `period`.
package struct ScalingRateLimit: Sendable, Hashable {
    /// How much may change within one period.
    package var change: Change
    /// The sliding window the change is counted over.
    package var period: PolicyDuration

    /// Creates a rate limit.
    package init(change: Change, period: PolicyDuration) {
        self.change = change
        self.period = period
    }

    /// A change expressed in replicas or as a share of the current count.
    package enum Change: Sendable, Hashable {
        /// A number of replicas.
        case replicas(Int)
        /// A percentage of the replicas at the start of the period.
        case percent(Double)
    }
}

/// Which rate limit wins when several apply.
package enum ScalingSelect: String, Sendable, Hashable, CaseIterable {
    /// The policy allowing the largest change.
    case max
    /// The policy allowing the smallest change.
    case min
    /// No change in this direction at all.
    case disabled
}

/// Step scaling: bands of one signal, each with an adjustment (AWS step scaling, Nomad threshold).
package struct StepScaling: Sendable, Hashable {
    /// The signal whose pool-wide value selects a band.
    package var signal: String
    /// The bands; the first whose bounds contain the value applies.
    package var thresholds: [StepThreshold]

    /// Creates step scaling.
    package init(signal: String, thresholds: [StepThreshold]) {
        self.signal = signal
        self.thresholds = thresholds
    }
}

/// One band `lower ≤ value < upper` and what to do inside it.
package struct StepThreshold: Sendable, Hashable {
    /// Inclusive lower bound; `nil` is unbounded.
    package var lower: Double?
    /// Exclusive upper bound; `nil` is unbounded.
    package var upper: Double?
    /// The adjustment applied to the current replica count.
    package var adjustment: Adjustment

    /// Creates a band.
    package init(lower: Double?, upper: Double?, adjustment: Adjustment) {
        self.lower = lower
        self.upper = upper
        self.adjustment = adjustment
    }

    /// How a band changes the replica count.
    package enum Adjustment: Sendable, Hashable {
        /// Add (or with a negative value remove) replicas.
        case delta(Int)
        /// Change by a percentage of the current count (negative shrinks).
        case percent(Double)
        /// Set an exact count.
        case exact(Int)
    }

    /// Whether `value` falls in this band.
    package func contains(_ value: Double) -> Bool {
        (lower.map { value >= $0 } ?? true) && (upper.map { value < $0 } ?? true)
    }
}

/// KEDA-style fallback: after `afterFailures` consecutive evaluations without usable metrics,
/// the pool is held at `replicas`.
package struct ScalingFallback: Sendable, Hashable {
    /// The replica count used while metrics are failing.
    package var replicas: Int
    /// Consecutive failed evaluations before the fallback applies.
    package var afterFailures: Int

    /// Creates a fallback.
    package init(replicas: Int, afterFailures: Int = 3) {
        self.replicas = replicas
        self.afterFailures = afterFailures
    }
}
