/// The Kubernetes HPA's decision pipeline over plain values: per-signal proposals, the largest
/// wins, an invalid signal blocks scale-down, stabilization windows, rate-limit policies, min/max,
/// plus the cooldown, step scaling and KEDA-style fallback Ballast adds.
///
/// It mirrors `reconcileAutoscaler`, `computeReplicasForMetrics` and
/// `normalizeDesiredReplicasWithBehaviors` so a policy ported from an HPA behaves the same.
struct ScalingRecommender {
    /// The result of one evaluation: the replica count wanted and why.
    struct Outcome: Sendable, Hashable {
        /// The replica count the pool should have.
        var desired: Int
        /// The rules that fired, with the values they saw.
        var reason: String
    }

    let policy: ScalingPolicy
    /// Whether this pass says why. Without, the common reasons are left empty.
    private let explains: Bool

    init(policy: ScalingPolicy) {
        self.init(policy: policy, explains: true)
    }

    private init(policy: ScalingPolicy, explains: Bool) {
        self.policy = policy
        self.explains = explains
    }

    /// Decides the replica count for `current` replicas given one reading per signal the policy
    /// uses, updating the windows, events and failure counts in `state`. With
    /// `explainsUnchanged: false` a count left as it is gets an empty reason: the decision is
    /// made quietly and made again, explained, only when it changes the count (the decision
    /// reads the state without changing it, so both passes see the same state), which spares a
    /// replay rendering a reason per step.
    func recommend(
        current: Int,
        readings: ScalingReadings,
        state: inout ScalingState,
        now: PolicyInstant,
        explainsUnchanged: Bool = true
    ) -> Outcome {
        learn(current: current, readings: readings, state: &state, now: now)
        countFailures(readings, state: &state)
        var decision = ScalingRecommender(policy: policy, explains: explainsUnchanged).decide(
            current: current,
            readings: readings,
            state: state,
            now: now
        )
        if !explainsUnchanged && decision.outcome.desired != current {
            decision = ScalingRecommender(policy: policy, explains: true).decide(current: current, readings: readings, state: state, now: now)
        }
        let outcome = decision.outcome
        if let recommended = decision.recommended { record(recommended, current: current, state: &state, now: now) }
        if outcome.desired != current {
            if outcome.desired > current {
                state.scaleUpEvents.append(.init(time: now, replicas: outcome.desired - current))
            } else {
                state.scaleDownEvents.append(.init(time: now, replicas: current - outcome.desired))
            }
            state.lastScaleAt = now
        }
        state.desiredReplicas = outcome.desired
        pruneEvents(&state, now: now)
        return outcome
    }

    /// The outcome, and the unstabilized recommendation to record in the stabilization window
    /// when the pipeline got that far.
    private func decide(
        current: Int,
        readings: ScalingReadings,
        state: ScalingState,
        now: PolicyInstant
    ) -> (outcome: Outcome, recommended: Int?) {
        if current == 0 && policy.min > 0 {
            return (Outcome(desired: 0, reason: "scaling is disabled while the pool has 0 replicas"), nil)
        }
        if current > policy.max {
            return (Outcome(desired: policy.max, reason: "\(current) replicas is above max \(policy.max)"), nil)
        }
        if current < policy.min {
            return (Outcome(desired: policy.min, reason: "\(current) replicas is below min \(policy.min)"), nil)
        }
        var best: (replicas: Int, reason: String)?
        var invalid: [String] = []
        forEachProposal(current: current, readings: readings, state: state, now: now) { proposal in
            switch proposal {
            case .replicas(let replicas, let reason):
                if replicas > best?.replicas ?? Int.min { best = (replicas, reason) }
            case .invalid(let reason):
                invalid.append(reason)
            }
        }
        guard let best else {
            let why = invalid.isEmpty ? "no scaling target or step rule" : invalid.joined(separator: "; ")
            return (Outcome(desired: current, reason: "keeping \(current) replicas: \(why)"), nil)
        }
        if !invalid.isEmpty && best.replicas < current {
            return (
                Outcome(
                    desired: current,
                    reason:
                        "keeping \(current) replicas: scale-down to \(best.replicas) blocked by an invalid signal (\(invalid.joined(separator: "; ")))"
                ), nil
            )
        }
        var reason = best.reason
        // Stabilization and rate limits add to the reason only when explaining.
        let stabilized = stabilize(current: current, desired: best.replicas, state: state, now: now, reason: &reason)
        let limited = limitRate(current: current, desired: stabilized, state: state, now: now, reason: &reason)
        if limited != current, let last = state.lastScaleAt, policy.cooldown > .zero, now - last < policy.cooldown {
            return (
                Outcome(
                    desired: current,
                    reason: explains
                        ? "\(reason); the last scale event was \(now - last) ago, inside the \(policy.cooldown) cooldown: keeping \(current)" : ""
                ), best.replicas
            )
        }
        return (Outcome(desired: limited, reason: reason), best.replicas)
    }

    /// The slot of the season `time` falls in, and which season it is.
    private func slot(_ predictive: PredictiveScaling, at time: PolicyInstant) -> (slot: Int, season: Int64) {
        let season = Swift.max(predictive.season.milliseconds, 1)
        let offset = ((time.milliseconds % season) + season) % season
        let slot = Int(offset / Swift.max(predictive.resolution.milliseconds, 1))
        return (
            Swift.min(slot, predictive.slots - 1), time.milliseconds >= 0 ? time.milliseconds / season : (time.milliseconds - season + 1) / season
        )
    }

    /// Folds this evaluation's demand (the first target's signal summed over the replicas) into
    /// the current slot of the season.
    private func learn(current: Int, readings: ScalingReadings, state: inout ScalingState, now: PolicyInstant) {
        guard let predictive = policy.predictive, let target = policy.targets.first else { return }
        let demand: Double
        switch readings[target.signal] {
        case .pool(let value)?: demand = value * Double(current)
        case .backends(let tally)?:
            guard tally.reported > 0 else { return }
            demand = tally.sum
        case .failed?, nil: return
        }
        guard demand.isFinite else { return }
        if state.seasonal?.demand.count != predictive.slots { state.seasonal = SeasonalProfile(slots: predictive.slots) }
        let (index, season) = slot(predictive, at: now)
        if state.seasonal!.lastSeason[index] != season {
            state.seasonal!.seasonsSeen[index] += 1
            state.seasonal!.lastSeason[index] = season
        }
        let previous = state.seasonal!.demand[index]
        state.seasonal!.demand[index] =
            state.seasonal!.seasonsSeen[index] == 1 && previous == 0 ? demand : previous + predictive.learningRate * (demand - previous)
    }

    /// The replicas the demand expected `lead` from now needs at the first target's value.
    private func predictiveProposal(state: ScalingState, now: PolicyInstant) -> ReplicaProposal? {
        guard let predictive = policy.predictive, let target = policy.targets.first, let profile = state.seasonal,
            profile.demand.count == predictive.slots
        else { return nil }
        let ahead = PolicyInstant(milliseconds: now.milliseconds + predictive.lead.milliseconds)
        let (index, _) = slot(predictive, at: ahead)
        guard profile.seasonsSeen[index] >= predictive.minSeasons else { return nil }
        let expected = profile.demand[index]
        let replicas = Swift.min(policy.max, Swift.max(policy.min, ReplicaProposal.ceilInt(expected / target.value - 1e-9)))
        guard explains else { return .replicas(replicas, reason: "") }
        return .replicas(
            replicas,
            reason: "predictive: \(target.signal) demand \(Reason.number(expected)) expected in \(predictive.lead) "
                + "(learnt over \(profile.seasonsSeen[index]) season\(profile.seasonsSeen[index] == 1 ? "" : "s")) needs \(replicas) at \(Reason.number(target.value))"
        )
    }

    /// One proposal per target, then the step rule, then the predictive one; a signal failing
    /// for `afterFailures` evaluations proposes the fallback count instead (KEDA). Handed out
    /// one by one rather than collected: the caller keeps only the largest.
    private func forEachProposal(
        current: Int,
        readings: ScalingReadings,
        state: ScalingState,
        now: PolicyInstant,
        _ body: (ReplicaProposal) -> Void
    ) {
        for target in policy.targets {
            let reading = readings[target.signal] ?? .failed("no reading")
            body(
                fallback(for: target.signal, reading: reading, state: state)
                    ?? .forTarget(target, reading: reading, current: current, explains: explains)
            )
        }
        if let steps = policy.steps {
            let reading = readings[steps.signal] ?? .failed("no reading")
            if let fallback = fallback(for: steps.signal, reading: reading, state: state) {
                body(fallback)
            } else {
                switch reading {
                case .failed(let error):
                    body(.invalid(reason: "signal \(steps.signal) unavailable: \(error)"))
                case .pool(let value):
                    body(.forSteps(steps, value: value, current: current))
                case .backends(let tally):
                    if tally.reported == 0 {
                        body(.invalid(reason: "no backend reported \(steps.signal)"))
                    } else {
                        body(.forSteps(steps, value: tally.sum / Double(tally.reported), current: current))
                    }
                }
            }
        }
        if let predicted = predictiveProposal(state: state, now: now) { body(predicted) }
    }

    private func fallback(for signal: String, reading: MetricReading, state: ScalingState) -> ReplicaProposal? {
        guard let fallback = policy.fallback, let failures = state.signalFailures[signal], failures >= fallback.afterFailures else {
            return nil
        }
        return .replicas(
            fallback.replicas,
            reason: "signal \(signal) failed \(failures) evaluations in a row: fallback to \(fallback.replicas) replicas"
        )
    }

    private func countFailures(_ readings: ScalingReadings, state: inout ScalingState) {
        func count(_ signal: String) {
            if Self.isFailed(readings[signal]) {
                state.signalFailures[signal, default: 0] += 1
            } else if !state.signalFailures.isEmpty {
                state.signalFailures[signal] = nil
            }
        }
        for target in policy.targets { count(target.signal) }
        if let steps = policy.steps { count(steps.signal) }
    }

    private static func isFailed(_ reading: MetricReading?) -> Bool {
        switch reading {
        case nil, .failed: true
        case .pool: false
        case .backends(let tally): tally.reported == 0
        }
    }

    /// HPA's `stabilizeRecommendationWithBehaviors`: the result stays between the lowest
    /// recommendation of the up window and the highest of the down window. As the HPA does after
    /// a restart, an empty window counts the current count as recommended now, so the first
    /// scale-down waits a whole window.
    private func stabilize(current: Int, desired: Int, state: ScalingState, now: PolicyInstant, reason: inout String) -> Int {
        let upCutoff = now - policy.up.stabilization
        let downCutoff = now - policy.down.stabilization
        var upRecommendation = desired
        var downRecommendation = desired
        func include(_ record: ScalingState.Record) {
            if record.time > upCutoff { upRecommendation = Swift.min(upRecommendation, record.replicas) }
            if record.time > downCutoff { downRecommendation = Swift.max(downRecommendation, record.replicas) }
        }
        if state.recommendations.isEmpty && policy.down.stabilization > .zero { include(.init(time: now, replicas: current)) }
        for record in state.recommendations { include(record) }
        var stabilized = Swift.max(current, upRecommendation)
        stabilized = Swift.min(stabilized, downRecommendation)
        if stabilized != desired && explains {
            let window = stabilized < desired ? "up \(policy.up.stabilization)" : "down \(policy.down.stabilization)"
            reason += "; stabilization window \(window) holds \(stabilized)"
        }
        return stabilized
    }

    /// Keeps this evaluation's recommendation in the stabilization window, dropping those that
    /// left both windows.
    private func record(_ recommended: Int, current: Int, state: inout ScalingState, now: PolicyInstant) {
        if state.recommendations.isEmpty && policy.down.stabilization > .zero {
            state.recommendations.append(.init(time: now, replicas: current))
        }
        state.recommendations.dropRecords(through: Swift.min(now - policy.up.stabilization, now - policy.down.stabilization))
        state.recommendations.append(.init(time: now, replicas: recommended))
    }

    /// HPA's `convertDesiredReplicasWithBehaviorRate`: rate limits counted from the scale events
    /// inside each policy's period, then min/max.
    private func limitRate(current: Int, desired: Int, state: ScalingState, now: PolicyInstant, reason: inout String) -> Int {
        if desired > current {
            let limit = Swift.max(current, rateLimit(policy.up, scalingUp: true, current: current, state: state, now: now))
            let allowed = Swift.min(policy.max, limit)
            if desired > allowed {
                guard explains else { return allowed }
                reason += allowed == policy.max && policy.max <= limit ? "; capped at max \(policy.max)" : "; scale-up rate limit allows \(allowed)"
                return allowed
            }
        } else if desired < current {
            let limit = Swift.min(current, rateLimit(policy.down, scalingUp: false, current: current, state: state, now: now))
            let allowed = Swift.max(policy.min, limit)
            if desired < allowed {
                guard explains else { return allowed }
                reason +=
                    allowed == policy.min && policy.min >= limit ? "; floored at min \(policy.min)" : "; scale-down rate limit allows \(allowed)"
                return allowed
            }
        }
        return desired
    }

    /// HPA's `calculateScaleUpLimitWithScalingRules` and `calculateScaleDownLimitWithBehaviors`:
    /// each policy proposes a bound from the count at the start of its period; `select: max`
    /// keeps the bound allowing the largest change (the highest when scaling up, the lowest when
    /// scaling down), `min` the smallest.
    private func rateLimit(_ behavior: ScalingBehavior, scalingUp: Bool, current: Int, state: ScalingState, now: PolicyInstant) -> Int {
        if behavior.select == .disabled { return current }
        let keepHigher = scalingUp == (behavior.select == .max)
        var result: Int?
        for rule in behavior.policies {
            let start = periodStart(current: current, period: rule.period, state: state, now: now)
            let proposed: Int
            switch rule.change {
            case .replicas(let count):
                proposed = scalingUp ? start + count : start - count
            case .percent(let percent):
                // Rounded up when growing so a small percentage still adds a replica, truncated when shrinking.
                proposed = scalingUp ? Int((Double(start) * (1 + percent / 100)).rounded(.up)) : Int(Double(start) * (1 - percent / 100))
            }
            result = result.map { keepHigher ? Swift.max($0, proposed) : Swift.min($0, proposed) } ?? proposed
        }
        return result ?? (scalingUp ? Int.max : Int.min)
    }

    /// The replica count at the start of a rate-limit period: current minus what was added in it,
    /// plus what was removed in it (HPA's `getReplicasChangePerPeriod`).
    private func periodStart(current: Int, period: PolicyDuration, state: ScalingState, now: PolicyInstant) -> Int {
        let cutoff = now - period
        let added = state.scaleUpEvents.reduce(0) { $1.time > cutoff ? $0 + $1.replicas : $0 }
        let removed = state.scaleDownEvents.reduce(0) { $1.time > cutoff ? $0 + $1.replicas : $0 }
        return current - added + removed
    }

    private func pruneEvents(_ state: inout ScalingState, now: PolicyInstant) {
        var longest = PolicyDuration.zero
        for rule in policy.up.policies where rule.period > longest { longest = rule.period }
        for rule in policy.down.policies where rule.period > longest { longest = rule.period }
        state.scaleUpEvents.dropRecords(through: now - longest)
        state.scaleDownEvents.dropRecords(through: now - longest)
    }
}
