import Foundation

/// Turns per-backend signals into integer proxy weights: a strategy proposes raw weights, which
/// are smoothed (EWMA), limited per step, clamped, ramped for slow start and quantized with their
/// ratios kept.
///
/// `headroom` is a feedback rule. Moving traffic changes the signal, so weighing the spare
/// capacity `target − signal` directly makes the loop gain depend on the load and oscillate above
/// half the target; instead each backend's weight becomes the traffic it could carry at the target,
/// estimated from its current share: `routed weight × target / signal`. That is Envoy's client-side
/// weighted round robin rule (weight = qps / utilization); its fixed point is weights proportional
/// to capacity with equal signals, and with smoothing it converges geometrically. `inverse`
/// weighs `1 / peak-EWMA(signal)` (Linkerd's latency estimate), for latency or in-flight signals.
struct WeightPlanner {
    /// The weights for one evaluation, aligned with the serving backends.
    struct Plan: Sendable, Hashable {
        /// Integer weights in the policy's range.
        var weights: [Int]
        /// Whether each backend is still in its slow-start ramp.
        var ramping: [Bool]
        /// Each backend's fresh signal value, `nil` when missing or stale.
        var values: [Double?]
    }

    let policy: WeightsPolicy

    /// Linkerd's default peak-EWMA decay.
    static let peakDecay = 10.0
    /// Envoy's slow start never routes less than 10% of a backend's weight.
    static let slowStartFloor = 0.1
    /// A routed integer weight moves only when the real-valued weight is this far from it: wide
    /// enough to absorb rounding jitter, narrow enough that a converging weight still lands on
    /// its nearest integer.
    static let integerHysteresis = 0.75
    /// Below 1% of the target a signal says nothing more about spare capacity.
    static let headroomSignalFloor = 0.01

    /// Plans weights for `serving` (sorted by address). `signals`, `states` and `joined` are
    /// aligned with it; `states` is updated, and backends marked `joined` (new, recovered,
    /// undrained) start their slow-start ramp now.
    func plan(
        _ serving: [BackendAddress],
        signals: [BackendSignals?],
        states: inout [BackendWeightState?],
        joined: [Bool],
        now: PolicyInstant
    ) -> Plan {
        let count = serving.count
        var proposed = [Double](repeating: .nan, count: count)
        var values = [Double?](repeating: nil, count: count)
        var largest = 0.0
        var knownSum = 0.0
        var knownCount = 0
        for index in 0..<count {
            let state = states[index]
            let sample = freshSample(signals[index], now: now)
            values[index] = sample?.value
            var raw = Double.nan
            switch policy.strategy {
            case .equal:
                raw = Double(policy.max)
            case .static:
                raw = Double(policy.staticWeights[serving[index]] ?? policy.max)
            case .headroom:
                if let sample, let state { raw = headroomWeight(routed: state.routed, signal: sample.value) }
            case .inverse:
                if let sample {
                    let cost = Self.peakEWMA(cost: state?.cost, at: state?.costAt, sample: sample)
                    states[index] = state ?? BackendWeightState(base: nil, routed: 0)
                    states[index]?.cost = cost
                    states[index]?.costAt = sample.timestamp
                    raw = cost
                }
            }
            proposed[index] = raw
        }
        if policy.strategy == .inverse {
            Self.invertCosts(&proposed)
        }
        for raw in proposed where !raw.isNaN {
            largest = Swift.max(largest, raw)
            knownSum += raw
            knownCount += 1
        }
        let normalize = policy.strategy == .headroom || policy.strategy == .inverse
        let scale = normalize && largest > 0 ? Double(policy.max) / largest : 1
        let fallback = knownCount > 0 ? knownSum * scale / Double(knownCount) : Double(policy.max)
        var effective = [Double](repeating: 0, count: count)
        var ramping = [Bool](repeating: false, count: count)
        for index in 0..<count {
            var state = states[index] ?? BackendWeightState(base: nil, routed: 0)
            let prior = state.base
            let target = proposed[index].isNaN ? (prior ?? fallback) : proposed[index] * scale
            var base = prior.map { $0 + policy.smoothing * (target - $0) } ?? target
            if let step = policy.maxStep, let prior {
                base = Swift.min(prior * (1 + step.fraction), Swift.max(prior * (1 - step.fraction), base))
            }
            base = Swift.min(Double(policy.max), Swift.max(Double(policy.min), base))
            state.base = base
            var factor = 1.0
            let rampStart = joined[index] ? now : state.rampStart
            state.rampStart = nil
            if let start = rampStart, policy.slowStart > .zero {
                let progress = Double((now - start).milliseconds) / Double(policy.slowStart.milliseconds)
                if progress < 1 {
                    factor = Swift.max(Self.slowStartFloor, progress)
                    ramping[index] = true
                    state.rampStart = start
                }
            }
            effective[index] = Swift.max(Double(policy.min), base * factor)
            if prior != nil && !ramping[index] && abs(effective[index] - Double(state.routed)) < Self.integerHysteresis {
                // Rounding jitter would otherwise flip a weight by one unit at every evaluation and
                // make the proxy reload for nothing.
                effective[index] = Double(state.routed)
            }
            states[index] = state
        }
        let weights = WeightQuantizer.quantize(effective, min: policy.min, max: policy.max)
        for index in 0..<count {
            states[index]?.routed = weights[index]
        }
        return Plan(weights: weights, ramping: ramping, values: values)
    }

    /// Turns costs into weights `1 / cost`, with costs floored at 1% of the pool's mean cost: an
    /// idle backend (0 requests in flight) then weighs at most 100 times the average one instead
    /// of taking all traffic, whatever the signal's unit.
    static func invertCosts(_ costs: inout [Double]) {
        var sum = 0.0
        var known = 0
        for cost in costs where !cost.isNaN {
            sum += cost
            known += 1
        }
        guard known > 0 else { return }
        let floor = sum / Double(known) * 0.01
        for index in costs.indices where !costs[index].isNaN {
            costs[index] = floor > 0 ? 1 / Swift.max(costs[index], floor) : 1
        }
    }

    /// The backend's signal sample if it is recent enough to act on (Envoy's weight expiration).
    private func freshSample(_ backend: BackendSignals?, now: PolicyInstant) -> SignalSample? {
        guard let name = policy.signal, let sample = backend?.sample(of: name), !sample.value.isNaN else { return nil }
        return now - sample.timestamp <= policy.staleAfter ? sample : nil
    }

    /// The traffic a backend could carry at the target, in weight units.
    private func headroomWeight(routed: Int, signal: Double) -> Double {
        let target = policy.target ?? 1
        return Double(Swift.max(routed, 1)) * target / Swift.max(signal, target * Self.headroomSignalFloor)
    }

    /// Linkerd's peak-EWMA: a rise is taken at once, a fall decays with time constant
    /// ``peakDecay`` seconds, so a backend that just became slow loses traffic immediately.
    static func peakEWMA(cost: Double?, at: PolicyInstant?, sample: SignalSample) -> Double {
        guard let cost, let at else { return sample.value }
        if sample.timestamp <= at { return cost }
        if sample.value >= cost { return sample.value }
        let keep = exp(-Double((sample.timestamp - at).milliseconds) / 1000 / peakDecay)
        return cost * keep + sample.value * (1 - keep)
    }
}
