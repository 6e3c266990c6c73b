/// The pure decision engine: `(policy, signals, previous state, now) → (new state, decisions)`.
///
/// The daemon and replay drive this same function, so it reads no clock, does no I/O and keeps
/// nothing outside the returned state; outputs are ordered by backend address, never by
/// dictionary order, so equal inputs give byte-identical journals. Backends are walked by
/// position in the state's sorted array: an evaluation hashes each address once, to find its
/// signals.
package enum PolicyEngine {
    /// Which outputs of an evaluation carry their reason.
    package enum Reasons: Sendable {
        /// Every decision and the scaling verdict (the daemon's status shows it).
        case all
        /// Every decision; the scaling verdict only when it changes the count.
        case decisions
    }

    /// Evaluates one pool once.
    ///
    /// Order within an evaluation: operator drains, health (rise/fall, ejection), failover
    /// (operator commands, then the automatic rules), the serving set with panic mode, weights,
    /// scaling. Each step's decisions are returned in that order. `reasons` says which outputs
    /// carry their reason: every decision always does; `.decisions` leaves the scaling verdict's
    /// reason empty when the count does not change, which spares a replay rendering one per step.
    package static func evaluate(
        policy: PoolPolicy,
        signals: PoolSignals,
        state previous: consuming EngineState,
        now: PolicyInstant,
        reasons: Reasons = .all
    ) -> EngineOutcome {
        var outcome = EngineOutcome(state: previous)
        evaluate(policy: policy, signals: signals, into: &outcome, now: now, reasons: reasons)
        return outcome
    }

    /// Evaluates one pool once, in place: `outcome.state` is the previous state on entry and the
    /// new one on return, and every other field is replaced. The same evaluation as
    /// ``evaluate(policy:signals:state:now:reasons:)``, for a caller that keeps one outcome
    /// across evaluations (a replay makes half a million), so the state is never copied.
    package static func evaluate(
        policy: PoolPolicy,
        signals: PoolSignals,
        into outcome: inout EngineOutcome,
        now: PolicyInstant,
        reasons: Reasons = .all
    ) {
        let result = step(policy: policy, signals: signals, state: &outcome.state, now: now, reasons: reasons)
        outcome.decisions = result.decisions
        outcome.routing = result.routing
        outcome.servingTier = outcome.state.failover.serving
        outcome.panic = outcome.state.panic
        outcome.scaling = result.scaling
    }

    private static func step(
        policy: PoolPolicy,
        signals: PoolSignals,
        state: inout EngineState,
        now: PolicyInstant,
        reasons: Reasons
    ) -> (decisions: [Decision], routing: [BackendRouting], scaling: ScalingVerdict?) {
        var drafts: [DecisionDraft] = []
        var joined = updateMembers(
            signals.members ?? policy.backends.staticAddresses,
            standby: policy.failover?.standby ?? [],
            state: &state
        )
        let count = state.backends.count
        var active: [Int] = []
        active.reserveCapacity(count)
        for index in 0..<count where state.backends[index].tier == .active { active.append(index) }
        let inputs = BackendInputs(own: signals.backends, everyMember: signals.everyMember, members: state.members, backends: state.backends)

        var failoverCommands: [OperatorCommand] = []
        for command in signals.commands {
            switch command {
            case .drain, .undrain:
                drafts.append(drain(command, state: &state, joined: &joined))
            case .failover, .failback:
                failoverCommands.append(command)
            }
        }

        let tracker = HealthTracker(policy: policy.health)
        for index in 0..<count {
            inputs.withSignals(index) { tracker.observe(&state.backends[index].health, signals: $0) }
        }
        drafts += eject(active, tracker: tracker, state: &state, joined: &joined, now: now)
        if state.failover.serving == .standby {
            drafts += eject(servingStandby(state), tracker: tracker, state: &state, joined: &joined, now: now)
        }

        if state.failover.serving == .standby && state.failover.servingStandby.isEmpty {
            state.failover.serving = .active
            state.failover.changedAt = now
            drafts.append(DecisionDraft(.failback, reason: "the standby backends that served left the pool; traffic returns to the active tier"))
        }
        if let failover = policy.failover {
            let facts = failoverFacts(failover, active: active, inputs: inputs, promotionFailures: signals.promotionFailures, state: state)
            drafts += FailoverController(policy: failover).evaluate(facts: facts, commands: failoverCommands, state: &state.failover, now: now)
        } else {
            for command in failoverCommands {
                drafts.append(
                    DecisionDraft(.rejected(command: command), reason: "\(command.text) refused: the pool has no standby tier", origin: .operator)
                )
            }
        }

        let tier = state.failover.serving == .active ? active : servingStandby(state)
        let serving = servingSet(tier, policy: policy.health, state: state)
        let panic = serving.panic
        if panic != state.panic {
            state.panic = panic
            drafts.append(DecisionDraft(.panic(entered: panic), reason: panicReason(serving, policy: policy.health)))
        }

        var routing = route(serving, tier: tier, inputs: inputs, joined: joined, policy: policy, state: &state, now: now)
        if routing != state.routing, let weights = policy.weights, !WeightPlanner(policy: weights).isMaterial(routing, since: state.routing) {
            keepRouting(&state)
            routing = state.routing
        }
        if routing != state.routing {
            drafts.append(
                DecisionDraft(.weights(routing: routing), reason: weightsReason(routing, previous: state.routing, policy: policy, inputs: inputs))
            )
            state.routing = routing
        }

        var verdict: ScalingVerdict?
        if let scaling = policy.scaling {
            let current = signals.replicas ?? state.scaling.desiredReplicas ?? (active.isEmpty ? scaling.min : active.count)
            let readings = scalingReadings(scaling, active: active, inputs: inputs, signals: signals)
            let outcome = ScalingRecommender(policy: scaling).recommend(
                current: current,
                readings: readings,
                state: &state.scaling,
                now: now,
                explainsUnchanged: reasons == .all
            )
            verdict = ScalingVerdict(
                current: current,
                desired: outcome.desired,
                reason: reasons == .all || outcome.desired != current ? outcome.reason : ""
            )
            if outcome.desired != current {
                drafts.append(DecisionDraft(.scale(from: current, to: outcome.desired), reason: outcome.reason))
            }
        }

        state.evaluations += 1
        let decisions = drafts.map {
            Decision(pool: policy.pool, time: now, origin: $0.origin, action: $0.action, reason: $0.reason)
        }
        return (decisions, routing, verdict)
    }

    /// Rebuilds the sorted backend array when membership changes, keeping what is known about
    /// backends that stay and forgetting those that left; returns which backends are new (they
    /// slow-start, except on the very first evaluation, when every backend is new).
    private static func updateMembers(_ members: [BackendAddress], standby: [BackendAddress], state: inout EngineState) -> JoinedBackends {
        let first = state.evaluations == 0
        guard first || members != state.members || standby != state.standby else {
            return JoinedBackends(count: state.backends.count)
        }
        let standbySet = Set(standby)
        var tiers: [BackendAddress: FailoverState.Tier] = [:]
        for address in members where !standbySet.contains(address) { tiers[address] = .active }
        for address in standby { tiers[address] = .standby }
        let known = Dictionary(state.backends.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var backends: [BackendState] = []
        var joined = JoinedBackends(count: tiers.count)
        for (address, tier) in tiers.sorted(by: { $0.key < $1.key }) {
            var backend = known[address] ?? BackendState(address: address, tier: tier)
            backend.tier = tier
            if !first && known[address] == nil { joined.mark(backends.count) }
            backends.append(backend)
        }
        state.members = members
        state.standby = standby
        state.backends = backends
        state.failover.servingStandby.removeAll { tiers[$0] != .standby }
        return joined
    }

    /// Indices of the standby backends that serve after a failover.
    private static func servingStandby(_ state: EngineState) -> [Int] {
        state.backends.indices.filter { state.failover.servingStandby.contains(state.backends[$0].address) }
    }

    private static func eject(
        _ tier: [Int],
        tracker: HealthTracker,
        state: inout EngineState,
        joined: inout JoinedBackends,
        now: PolicyInstant
    ) -> [DecisionDraft] {
        let result = tracker.eject(tier, backends: &state.backends, now: now)
        for index in result.restored {
            joined.mark(index)
        }
        return result.decisions
    }

    private static func failoverFacts(
        _ policy: FailoverPolicy,
        active: [Int],
        inputs: BackendInputs,
        promotionFailures: [BackendAddress: String],
        state: EngineState
    ) -> FailoverController.Facts {
        var activeCount = 0
        var activeAvailable = 0
        for index in active where !state.backends[index].drained {
            activeCount += 1
            if state.backends[index].health.isAvailable { activeAvailable += 1 }
        }
        var standby: [FailoverController.Standby] = []
        for address in policy.standby {
            guard let index = state.backends.firstIndex(where: { $0.address == address }) else { continue }
            let backend = state.backends[index]
            standby.append(
                .init(
                    address: address,
                    signals: inputs[index],
                    health: backend.health,
                    drained: backend.drained,
                    promotionFailure: promotionFailures[address]
                )
            )
        }
        return FailoverController.Facts(activeAvailable: activeAvailable, activeCount: activeCount, standby: standby)
    }

    private static func drain(_ command: OperatorCommand, state: inout EngineState, joined: inout JoinedBackends) -> DecisionDraft {
        switch command {
        case .drain(let address):
            guard let index = state.backends.firstIndex(where: { $0.address == address }) else {
                return DecisionDraft(
                    .rejected(command: command),
                    reason: "drain refused: \(address) is not a backend of this pool",
                    origin: .operator
                )
            }
            guard !state.backends[index].drained else {
                return DecisionDraft(.rejected(command: command), reason: "drain refused: \(address) is already drained", origin: .operator)
            }
            let tier =
                state.failover.serving == .active
                ? state.backends.indices.filter { state.backends[$0].tier == .active }
                : servingStandby(state)
            if tier.contains(index) && !tier.contains(where: { $0 != index && !state.backends[$0].drained }) {
                return DecisionDraft(
                    .rejected(command: command),
                    reason: "drain refused: \(address) is the last undrained backend of the serving tier and the pool must never be empty",
                    origin: .operator
                )
            }
            state.backends[index].drained = true
            return DecisionDraft(.drain(address: address), reason: "operator drained \(address)", origin: .operator)
        case .undrain(let address):
            guard let index = state.backends.firstIndex(where: { $0.address == address }), state.backends[index].drained else {
                return DecisionDraft(.rejected(command: command), reason: "undrain refused: \(address) is not drained", origin: .operator)
            }
            state.backends[index].drained = false
            joined.mark(index)
            return DecisionDraft(
                .undrain(address: address),
                reason: "operator returned \(address) to rotation (slow start applies)",
                origin: .operator
            )
        case .failover, .failback:
            return DecisionDraft(.rejected(command: command), reason: "not a drain command", origin: .operator)
        }
    }

    /// The backends that get traffic: the available ones, or in panic every undrained one
    /// (Envoy's panic threshold). The pool is never empty while the tier has members: a threshold
    /// of 0% only turns off proportional panic (the healthy backends take everything, however
    /// few), and a tier with no healthy backend still panics and routes to all of them rather than
    /// to none. Failover has run before this, so a tier reaching here with no healthy backend had
    /// no eligible tier to move to (or was held down); a backend that may answer beats a certain
    /// outage. Panic weights come from the planner as usual: a backend without a fresh signal
    /// keeps its last weight.
    private static func servingSet(_ tier: [Int], policy: HealthPolicy, state: EngineState) -> ServingSet {
        var (undrained, available, availableUndrained) = (0, 0, 0)
        for index in tier {
            let isAvailable = state.backends[index].health.isAvailable
            let drained = state.backends[index].drained
            if !drained { undrained += 1 }
            if isAvailable { available += 1 }
            if isAvailable && !drained { availableUndrained += 1 }
        }
        // Drains never take the serving tier's last backend, but discovery may drop every
        // undrained one; the drained ones then serve rather than nobody.
        let drainedServe = undrained == 0
        let candidates = drainedServe ? tier.count : undrained
        let healthy = drainedServe ? available : availableUndrained
        guard candidates > 0 else { return ServingSet(panic: false, drainedServe: false, healthy: 0, candidates: 0) }
        let share = Double(healthy) / Double(candidates)
        let panic = healthy == 0 || share < policy.panicThreshold.fraction
        return ServingSet(panic: panic, drainedServe: drainedServe, healthy: healthy, candidates: candidates)
    }

    /// Why the serving set is (or is no longer) in panic; rendered only when that changes, as it
    /// is read for no other evaluation (a replay makes half a million of them).
    private static func panicReason(_ set: ServingSet, policy: HealthPolicy) -> String {
        guard set.candidates > 0 else { return "" }
        let share = Double(set.healthy) / Double(set.candidates)
        let summary = "\(set.healthy) of \(set.candidates) backends healthy (\(Reason.number(share * 100))%)"
        if set.healthy == 0 {
            return "\(summary); no healthy backend: routing to all \(set.candidates) rather than to none"
        }
        if set.panic {
            return "\(summary) is below the panic threshold \(policy.panicThreshold): routing to every backend"
        }
        let rule =
            policy.panicThreshold.value > 0
            ? "at or above the panic threshold \(policy.panicThreshold)" : "proportional panic is off (threshold 0%)"
        return "\(summary), \(rule): routing to healthy backends only"
    }

    /// Every member's weight and state, sorted by address. `tier` is ascending, so one pass with
    /// a cursor into it places every backend. The routing is written over the previous one, so
    /// an evaluation that changes nothing returns the same array and allocates none.
    private static func route(
        _ serving: ServingSet,
        tier: [Int],
        inputs: BackendInputs,
        joined: JoinedBackends,
        policy: PoolPolicy,
        state: inout EngineState,
        now: PolicyInstant
    ) -> [BackendRouting] {
        // Without a weights policy every routed backend weighs 1 and none ramps.
        var plan: WeightPlanner.Plan?
        if let weights = policy.weights {
            let routed = tier.filter { serving.routes(drained: state.backends[$0].drained, available: state.backends[$0].health.isAvailable) }
            var weightStates = routed.map { state.backends[$0].weight }
            plan = WeightPlanner(policy: weights).plan(
                routed.map { state.backends[$0].address },
                signals: routed.map { inputs[$0] },
                states: &weightStates,
                joined: routed.map { joined[$0] },
                now: now
            )
            for (position, index) in routed.enumerated() {
                state.backends[index].weight = weightStates[position]
            }
        }
        let count = state.backends.count
        var routing = state.routing
        let rewrites = routing.count == count
        if !rewrites {
            routing = []
            routing.reserveCapacity(count)
        }
        var (nextRouted, nextInTier) = (0, 0)
        for index in 0..<count {
            while nextInTier < tier.count && tier[nextInTier] < index { nextInTier += 1 }
            let inTier = nextInTier < tier.count && tier[nextInTier] == index
            let drained = state.backends[index].drained
            let (weight, routingState): (Int, BackendRouting.State)
            if inTier && serving.routes(drained: drained, available: state.backends[index].health.isAvailable) {
                let ramping = plan?.ramping[nextRouted] ?? false
                (weight, routingState) = (plan?.weights[nextRouted] ?? 1, ramping ? .slowStart : .serving)
                nextRouted += 1
            } else {
                (weight, routingState) = (0, drained ? .drained : inTier ? .ejected : .standby)
            }
            if !rewrites {
                routing.append(BackendRouting(address: state.backends[index].address, weight: weight, state: routingState))
            } else if routing[index].weight != weight || routing[index].state != routingState
                || routing[index].address != state.backends[index].address
            {
                routing[index] = BackendRouting(address: state.backends[index].address, weight: weight, state: routingState)
            }
        }
        return routing
    }

    /// Keeps the proxy on the routing it has: the routed weights the feedback rules measure
    /// against go back to what the proxy still routes, while the smoothed weights keep what this
    /// evaluation learned, so a drift too small to apply accumulates until it is not.
    /// `isMaterial` has checked that the routing is aligned with the state's backends.
    private static func keepRouting(_ state: inout EngineState) {
        for (index, entry) in state.routing.enumerated() where entry.state == .serving {
            state.backends[index].weight?.routed = entry.weight
        }
    }

    /// The readings of every signal the scaling policy uses, grouped as the HPA groups pods.
    private static func scalingReadings(
        _ policy: ScalingPolicy,
        active: [Int],
        inputs: BackendInputs,
        signals: PoolSignals
    ) -> ScalingReadings {
        var readings = ScalingReadings()
        func read(_ name: String) {
            guard readings[name] == nil else { return }
            if let error = signals.failedSignals[name] {
                readings[name] = .failed(error)
                return
            }
            var tally = BackendTally()
            for index in active {
                inputs.withSignals(index) { input in
                    if input?.up == false {
                        tally.unready += 1
                    } else {
                        tally.add(input?.value(of: name))
                    }
                }
            }
            if tally.reported == 0, let sample = signals.pool[name], !sample.value.isNaN {
                readings[name] = .pool(sample.value)
            } else {
                readings[name] = .backends(tally)
            }
        }
        for target in policy.targets { read(target.signal) }
        if let steps = policy.steps { read(steps.signal) }
        return readings
    }

    /// Names the strategy and the backends whose routing changed, with their signal values;
    /// `routing` and `inputs` are aligned with the state's backends.
    private static func weightsReason(
        _ routing: [BackendRouting],
        previous: [BackendRouting],
        policy: PoolPolicy,
        inputs: BackendInputs
    ) -> String {
        var changed: [Int] = []
        var left = ""
        if previous.count == routing.count && zip(previous, routing).allSatisfy({ $0.address == $1.address }) {
            changed = routing.indices.filter { previous[$0] != routing[$0] }
        } else {
            let before = Set(previous)
            changed = routing.indices.filter { !before.contains(routing[$0]) }
            let now = Set(routing.map(\.address))
            let gone = previous.map(\.address).filter { !now.contains($0) }
            if !gone.isEmpty { left = "left the pool: " + gone.map(\.description).joined(separator: ", ") }
        }
        let shown = changed.prefix(5).map { index -> String in
            let entry = routing[index]
            var text = "\(entry.address) \(entry.state.rawValue) \(entry.weight)"
            if let name = policy.weights?.signal, let sample = inputs[index]?.sample(of: name) {
                text += " (\(name) \(Reason.number(sample.value)))"
            }
            return text
        }
        let more = changed.count > shown.count ? " and \(changed.count - shown.count) more" : ""
        var rule = "no weights policy (equal weight 1)"
        if let weights = policy.weights {
            rule = "\(weights.strategy.rawValue) weights"
            if weights.strategy == .headroom || weights.strategy == .inverse {
                rule += (weights.signal.map { " on \($0)" } ?? "") + (weights.target.map { " target \(Reason.number($0))" } ?? "")
            }
        }
        let moved = shown.joined(separator: ", ") + more
        return "\(rule): " + [moved, left].filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// Which backends of the serving tier get traffic, whether that is panic, and the counts its
/// reason names; counted rather than listed, as most evaluations only need the counts.
private struct ServingSet {
    var panic: Bool
    /// Whether every backend of the tier is drained, so the drained ones serve.
    var drainedServe: Bool
    var healthy: Int
    var candidates: Int

    /// Whether a backend of the serving tier gets traffic: the candidates (the undrained
    /// backends, or all when all are drained) that are available, or in panic all of them.
    func routes(drained: Bool, available: Bool) -> Bool {
        guard drainedServe || !drained else { return false }
        return panic || available
    }
}

/// Which backends (by position) start their slow-start ramp in this evaluation: new, recovered
/// or undrained ones. Usually none, so nothing is allocated until one is marked.
private struct JoinedBackends {
    private var flags: [Bool] = []
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    subscript(index: Int) -> Bool {
        flags.isEmpty ? false : flags[index]
    }

    mutating func mark(_ index: Int) {
        if flags.isEmpty { flags = [Bool](repeating: false, count: count) }
        flags[index] = true
    }
}
