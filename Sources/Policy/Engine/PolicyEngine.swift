/// The pure decision engine: `(policy, signals, previous state, now) → (new state, decisions)`.
///
/// The daemon and replay drive this same function, so it reads no clock, does no I/O and keeps
/// nothing outside the returned state; outputs are ordered by backend address, never by
/// dictionary order, so equal inputs give byte-identical journals.
public enum PolicyEngine {
    /// Evaluates one pool once.
    ///
    /// Order within an evaluation: operator drains, health (rise/fall, ejection), failover
    /// (operator commands, then the automatic rules), the serving set with panic mode, weights,
    /// scaling. Each step's decisions are returned in that order.
    public static func evaluate(policy: PoolPolicy, signals: PoolSignals, state previous: EngineState, now: PolicyInstant) -> EngineOutcome {
        var state = previous
        var drafts: [DecisionDraft] = []
        let firstEvaluation = state.evaluations == 0
        let standby = policy.failover?.standby ?? []
        updateMembers(signals.members ?? policy.backends.staticAddresses, standby: standby, state: &state, force: firstEvaluation)
        let active = state.sortedMembers
        var joined = Set<BackendAddress>()
        if !firstEvaluation {
            for address in active where state.health[address] == nil {
                joined.insert(address)
            }
        }

        var failoverCommands: [OperatorCommand] = []
        for command in signals.commands {
            switch command {
            case .drain, .undrain:
                drafts.append(drain(command, active: active, standby: standby, state: &state, joined: &joined))
            case .failover, .failback:
                failoverCommands.append(command)
            }
        }

        let tracker = HealthTracker(policy: policy.health)
        tracker.observe(active, signals: signals, states: &state.health)
        tracker.observe(standby, signals: signals, states: &state.health)
        var ejection = tracker.eject(active, states: &state.health, now: now)
        if state.failover.serving == .standby {
            let standbyEjection = tracker.eject(state.failover.servingStandby.sorted(), states: &state.health, now: now)
            ejection.decisions += standbyEjection.decisions
            ejection.restored += standbyEjection.restored
        }
        drafts += ejection.decisions
        joined.formUnion(ejection.restored)

        if let failover = policy.failover {
            var activeCount = 0
            var activeAvailable = 0
            for address in active where !state.drained.contains(address) {
                activeCount += 1
                if state.health[address]?.isAvailable ?? true { activeAvailable += 1 }
            }
            let facts = FailoverController.Facts(
                activeAvailable: activeAvailable,
                activeCount: activeCount,
                signals: signals,
                health: state.health,
                drained: state.drained
            )
            drafts += FailoverController(policy: failover).evaluate(facts: facts, commands: failoverCommands, state: &state.failover, now: now)
        } else {
            for command in failoverCommands {
                drafts.append(DecisionDraft(.rejected(command), reason: "\(command.text) refused: the pool has no standby tier", origin: .operator))
            }
        }

        let tier = state.failover.serving == .active ? active : state.failover.servingStandby.sorted()
        let (routed, panic, panicReason) = servingSet(tier, policy: policy.health, state: state)
        if panic != state.panic {
            state.panic = panic
            drafts.append(DecisionDraft(.panic(panic), reason: panicReason))
        }

        let routing = route(
            routed,
            tier: Set(tier),
            all: merge(active, standby.sorted()),
            joined: joined,
            policy: policy,
            signals: signals,
            state: &state,
            now: now
        )
        if routing != state.routing {
            drafts.append(DecisionDraft(.weights(routing), reason: weightsReason(routing, previous: state.routing, policy: policy, signals: signals)))
            state.routing = routing
        }

        var verdict: ScalingVerdict?
        if let scaling = policy.scaling {
            let current = signals.replicas ?? state.scaling.desiredReplicas ?? (active.isEmpty ? scaling.min : active.count)
            let readings = scalingReadings(scaling, active: active, signals: signals)
            let outcome = ScalingRecommender(policy: scaling).recommend(current: current, readings: readings, state: &state.scaling, now: now)
            verdict = ScalingVerdict(current: current, desired: outcome.desired, reason: outcome.reason)
            if outcome.desired != current {
                drafts.append(DecisionDraft(.scale(from: current, to: outcome.desired), reason: outcome.reason))
            }
        }

        state.evaluations += 1
        let decisions = drafts.map {
            Decision(pool: policy.pool, time: now, origin: $0.origin, action: $0.action, reason: $0.reason)
        }
        return EngineOutcome(
            state: state,
            decisions: decisions,
            routing: routing,
            servingTier: state.failover.serving,
            panic: panic,
            scaling: verdict
        )
    }

    /// Re-sorts the active members when their list changes and forgets backends that left.
    private static func updateMembers(_ members: [BackendAddress], standby: [BackendAddress], state: inout EngineState, force: Bool) {
        guard force || members != state.members else { return }
        let standbySet = Set(standby)
        state.members = members
        state.sortedMembers = Set(members).subtracting(standbySet).sorted()
        let known = standbySet.union(state.sortedMembers)
        state.health = state.health.filter { known.contains($0.key) }
        state.weights = state.weights.filter { known.contains($0.key) }
        state.drained = state.drained.intersection(known)
        state.failover.servingStandby.removeAll { !known.contains($0) }
    }

    private static func drain(
        _ command: OperatorCommand,
        active: [BackendAddress],
        standby: [BackendAddress],
        state: inout EngineState,
        joined: inout Set<BackendAddress>
    ) -> DecisionDraft {
        switch command {
        case .drain(let address):
            guard active.contains(address) || standby.contains(address) else {
                return DecisionDraft(.rejected(command), reason: "drain refused: \(address) is not a backend of this pool", origin: .operator)
            }
            guard !state.drained.contains(address) else {
                return DecisionDraft(.rejected(command), reason: "drain refused: \(address) is already drained", origin: .operator)
            }
            let tier = state.failover.serving == .active ? active : state.failover.servingStandby
            if tier.contains(address) && !tier.contains(where: { $0 != address && !state.drained.contains($0) }) {
                return DecisionDraft(
                    .rejected(command),
                    reason: "drain refused: \(address) is the last undrained backend of the serving tier and the pool must never be empty",
                    origin: .operator
                )
            }
            state.drained.insert(address)
            return DecisionDraft(.drain(address), reason: "operator drained \(address)", origin: .operator)
        case .undrain(let address):
            guard state.drained.remove(address) != nil else {
                return DecisionDraft(.rejected(command), reason: "undrain refused: \(address) is not drained", origin: .operator)
            }
            joined.insert(address)
            return DecisionDraft(.undrain(address), reason: "operator returned \(address) to rotation (slow start applies)", origin: .operator)
        case .failover, .failback:
            return DecisionDraft(.rejected(command), reason: "not a drain command", origin: .operator)
        }
    }

    /// The backends that get traffic: the available ones, or in panic every undrained one
    /// (Envoy's panic threshold); never empty while the tier has members.
    private static func servingSet(
        _ tier: [BackendAddress],
        policy: HealthPolicy,
        state: EngineState
    ) -> (routed: [BackendAddress], panic: Bool, reason: String) {
        var candidates = tier.filter { !state.drained.contains($0) }
        if candidates.isEmpty { candidates = tier }
        let available = candidates.filter { state.health[$0]?.isAvailable ?? true }
        guard !candidates.isEmpty else { return ([], false, "") }
        let share = Double(available.count) / Double(candidates.count)
        let summary = "\(available.count) of \(candidates.count) backends healthy (\(Reason.number(share * 100))%)"
        if available.isEmpty || share < policy.panicThreshold.fraction {
            return (candidates, true, "\(summary) is below the panic threshold \(policy.panicThreshold): routing to every backend")
        }
        return (available, false, "\(summary), at or above the panic threshold \(policy.panicThreshold): routing to healthy backends only")
    }

    /// Every member's weight and state, sorted by address.
    private static func route(
        _ routed: [BackendAddress],
        tier: Set<BackendAddress>,
        all: [BackendAddress],
        joined: Set<BackendAddress>,
        policy: PoolPolicy,
        signals: PoolSignals,
        state: inout EngineState,
        now: PolicyInstant
    ) -> [BackendRouting] {
        let plan: WeightPlanner.Plan
        if let weights = policy.weights {
            plan = WeightPlanner(policy: weights).plan(routed, joined: joined, signals: signals, states: &state.weights, now: now)
        } else {
            plan = WeightPlanner.Plan(
                weights: Array(repeating: 1, count: routed.count),
                ramping: Array(repeating: false, count: routed.count),
                values: Array(repeating: nil, count: routed.count)
            )
        }
        var routing: [BackendRouting] = []
        routing.reserveCapacity(all.count)
        var next = 0
        for address in all {
            if next < routed.count && routed[next] == address {
                routing.append(BackendRouting(address: address, weight: plan.weights[next], state: plan.ramping[next] ? .slowStart : .serving))
                next += 1
            } else if state.drained.contains(address) {
                routing.append(BackendRouting(address: address, weight: 0, state: .drained))
            } else if tier.contains(address) {
                routing.append(BackendRouting(address: address, weight: 0, state: .ejected))
            } else {
                routing.append(BackendRouting(address: address, weight: 0, state: .standby))
            }
        }
        return routing
    }

    /// Merges two address lists sorted by address into one, dropping duplicates.
    private static func merge(_ left: [BackendAddress], _ right: [BackendAddress]) -> [BackendAddress] {
        guard !right.isEmpty else { return left }
        return Set(left).union(right).sorted()
    }

    /// The readings of every signal the scaling policy uses, grouped as the HPA groups pods.
    private static func scalingReadings(_ policy: ScalingPolicy, active: [BackendAddress], signals: PoolSignals) -> [String: MetricReading] {
        var names = policy.targets.map(\.signal)
        if let steps = policy.steps { names.append(steps.signal) }
        var readings: [String: MetricReading] = [:]
        for name in names where readings[name] == nil {
            if let error = signals.failedSignals[name] {
                readings[name] = .failed(error)
                continue
            }
            var values: [Double?] = []
            var unready = 0
            var reported = false
            for address in active {
                let backend = signals.backends[address]
                if backend?.up == false {
                    unready += 1
                } else {
                    let value = backend?.value(of: name)
                    reported = reported || value != nil
                    values.append(value)
                }
            }
            if !reported, let sample = signals.pool[name], !sample.value.isNaN {
                readings[name] = .pool(sample.value)
            } else {
                readings[name] = .backends(values: values, unready: unready)
            }
        }
        return readings
    }

    /// Names the strategy and the backends whose routing changed, with their signal values.
    private static func weightsReason(_ routing: [BackendRouting], previous: [BackendRouting], policy: PoolPolicy, signals: PoolSignals) -> String {
        let before = Dictionary(previous.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let changed = routing.filter { before[$0.address] != $0 }
        let shown = changed.prefix(10).map { entry -> String in
            var text = "\(entry.address) \(entry.state.rawValue) \(entry.weight)"
            if let name = policy.weights?.signal, let sample = signals.backends[entry.address]?.values[name] {
                text += " (\(name) \(Reason.number(sample.value)))"
            }
            return text
        }
        let more = changed.count > shown.count ? " and \(changed.count - shown.count) more" : ""
        let rule: String
        if let weights = policy.weights {
            rule =
                "\(weights.strategy.rawValue) weights"
                + (weights.signal.map { " on \($0)" } ?? "")
                + (weights.target.map { " target \(Reason.number($0))" } ?? "")
        } else {
            rule = "no weights policy (equal weight 1)"
        }
        return "\(rule): \(shown.joined(separator: ", "))\(more)"
    }
}
