import Apply
import Collector
import Foundation
import Logging
import Policy
import Prometheus
import Store

/// One pool's control loop: signals in, the engine, the decisions and state persisted together,
/// the routing out to the applier. An actor whose evaluations run one at a time in arrival order
/// (a hook or an apply suspends it, so requests that come meanwhile wait their turn); operator
/// commands that arrive during one are taken by the next.
actor PoolController {
    private(set) var compiled: CompiledPolicy
    private var state: EngineState
    private var pendingCommands: [OperatorCommand] = []
    private var lastOutcome: EngineOutcome?
    private(set) var evaluatedAt: Int64?
    private var readout = SignalReadout()
    private var desired: [BackendRouting] = []
    private var applied: [BackendRouting]?
    private var lastApplyError: String?
    private var lastAppliedAt: Int64?
    private var pendingChanges: [Decision] = []
    private var recent: [DecisionStatus] = []
    private var evaluating = false
    /// Callers waiting for the evaluation in progress, in order.
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// A reloaded policy that arrived during an evaluation.
    private var pendingCompiled: CompiledPolicy?
    /// A takeover (with the shared state, if any) that arrived during an evaluation.
    private var pendingTakeover: (shared: EngineState?, epoch: Int64)?
    /// A takeover under `leaderEpoch` not journaled yet: whether it continued from a shared
    /// state (nil once journaled).
    private var unjournaledTakeover: Bool?
    /// The epoch this pool has taken over under (its state continued from the shared one): the
    /// lease may already be held under a newer epoch whose takeover has not reached this pool,
    /// and until it has, the pool acts as a follower.
    private var leaderEpoch: Int64?
    /// Whether the last evaluation's state could not be shared (its leader applied nothing).
    private var shareFailing = false
    /// The routing the pool had when the current applier was made, told to it before its first
    /// apply (after a restart: the persisted routing); `nil` once told.
    private var routingBeforeApplier: [BackendRouting]?
    /// The pool's applier: kept across evaluations (nginx coalesces reloads, remembers what it
    /// runs) and rebuilt when a reload changes how the pool is applied.
    private var applier: any Applier
    /// When a coalesced change or a retry is due (wall ms), so the pool loop wakes for it.
    private var deferredUntil: Int64?
    /// Failed applies in a row, for the retry backoff, and the routing that failed.
    private var applyFailureStreak = 0
    private var failedRouting: [BackendRouting]?
    private let context: ControlContext

    /// `leaderEpoch`: the epoch this instance leads under when the pool is added (nil: not a
    /// leader, or outside an HA pair); the pool starts from its own saved state under it.
    init(compiled: CompiledPolicy, state: EngineState, context: ControlContext, leaderEpoch: Int64? = nil) {
        self.compiled = compiled
        self.leaderEpoch = leaderEpoch
        self.state = state
        self.context = context
        self.applier = context.applier(compiled)
        if let routing = state.routing.isEmpty ? nil : state.routing { desired = routing }
        routingBeforeApplier = state.routing
    }

    /// Takes a reloaded policy: at once when no evaluation runs, else when the running one ends,
    /// so an evaluation never mixes two policies (or applies through a replaced applier).
    func update(_ compiled: CompiledPolicy) {
        if evaluating {
            pendingCompiled = compiled
        } else {
            adopt(compiled)
        }
    }

    /// This instance became the HA leader: continue from the state the previous leader shared
    /// (nil: from this instance's own), and apply the routing again, whatever the applier last
    /// carried, since the other instance applied in between. Waits for an evaluation in progress.
    func takeOver(_ shared: EngineState?, epoch: Int64) {
        if evaluating {
            pendingTakeover = (shared, epoch)
        } else {
            continueFrom(shared, epoch: epoch)
        }
    }

    private func continueFrom(_ shared: EngineState?, epoch: Int64) {
        unjournaledTakeover = shared != nil
        leaderEpoch = epoch
        if let shared {
            state = shared
            desired = shared.routing
        }
        // The proxy carries what the previous leader applied, which is the shared routing.
        routingBeforeApplier = desired
        applied = nil
        failedRouting = nil
        deferredUntil = nil
    }

    /// Whether this pool may apply and run hooks now, and under which epoch: the lease's, once
    /// this pool has taken over under it.
    private func leads() -> (leads: Bool, epoch: Int64?) {
        let leadership = context.leadership()
        guard let epoch = leadership.epoch else { return leadership }
        return epoch == leaderEpoch ? leadership : (false, nil)
    }

    private func adopt(_ compiled: CompiledPolicy) {
        let old = self.compiled.policy
        let new = compiled.policy
        if old.apply != new.apply || old.balance != new.balance || old.hash != new.hash || self.compiled.path != compiled.path {
            applier = context.applier(compiled)
            routingBeforeApplier = desired
            applied = nil
        }
        if new.scaling?.hook == nil, state.scaledMembers != nil {
            // Without a scale hook the policy's own backends are the members again.
            state.scaledMembers = nil
            let (context, pool) = (self.context, compiled.pool)
            Task { await context.membershipChanged(pool, []) }
        }
        self.compiled = compiled
    }

    /// Evaluates now, after the evaluation in progress if there is one (an operator's command
    /// during a scheduled evaluation); returns this evaluation's decisions, and whether the
    /// engine state they led to reached the HA pair. Evaluations run one at a time, in the order
    /// they were asked for.
    @discardableResult
    func evaluate(commands: [OperatorCommand] = [], requestedAt: ContinuousClock.Instant? = nil) async -> EvaluationOutcome {
        pendingCommands += commands
        if evaluating { await withCheckedContinuation { waiting.append($0) } }
        evaluating = true
        defer {
            if let next = pendingCompiled {
                pendingCompiled = nil
                adopt(next)
            }
            if let takeover = pendingTakeover {
                pendingTakeover = nil
                continueFrom(takeover.shared, epoch: takeover.epoch)
            }
            if waiting.isEmpty {
                evaluating = false
            } else {
                // Handed straight to the next caller: `evaluating` stays set.
                waiting.removeFirst().resume()
            }
        }
        return await evaluateOnce(requestedAt: requestedAt)
    }

    /// One evaluation; `requestedAt` is when the scrape that asked for it was stored.
    private func evaluateOnce(requestedAt: ContinuousClock.Instant?) async -> EvaluationOutcome {
        let started = ContinuousClock.now
        let now = WallClock.now()
        let policy = compiled.policy
        let standby = Set(compiled.standby)
        let statuses = context.collector.statuses().filter { $0.target.job == policy.pool }
        var backends: [BackendAddress: BackendSignals] = [:]
        var members: [BackendAddress] = []
        var lastScrape: [BackendAddress: Int64] = [:]
        for status in statuses {
            guard let address = try? BackendAddress(parsing: status.target.instance) else { continue }
            if !standby.contains(address) { members.append(address) }
            let up: Bool? = status.health == .unknown ? nil : status.health == .up
            backends[address] = BackendSignals(up: up, values: [:], upStreak: up == nil ? nil : status.consecutive)
            lastScrape[address] = status.lastScrape
        }
        let reading = ContinuousClock.now
        readout = await context.signals.read(compiled, backends: Set(backends.keys), at: now)
        context.metrics.signalsRead(pool: policy.pool, source: readout.source, seconds: (ContinuousClock.now - reading) / .seconds(1))
        if !policy.scrape.enabled {
            // `scrape: none`: health as the remote server last saw it; unknown when it cannot say.
            for address in backends.keys {
                backends[address]?.up = readout.upFailure == nil ? readout.up[address] : nil
                backends[address]?.upStreak = nil
            }
        }
        for (address, values) in readout.backends {
            // A value is as fresh as the backend's last scrape, so the engine's stale guard sees
            // a backend that stopped answering even though PromQL still returns its last value.
            let measured = PolicyInstant(milliseconds: min(now, lastScrape[address] ?? now, readout.measuredAt ?? now))
            backends[address, default: BackendSignals(up: nil)].values = values.mapValues { SignalSample(value: $0, timestamp: measured) }
        }
        let signals = PoolSignals(
            members: members.sorted(),
            backends: backends,
            pool: readout.pool.mapValues { SignalSample(value: $0, timestamp: PolicyInstant(milliseconds: readout.measuredAt ?? now)) },
            failedSignals: readout.failures,
            // The members a scale hook answered are the replicas the pool has.
            replicas: state.scaledMembers?.count,
            commands: pendingCommands
        )
        pendingCommands.removeAll()
        var outcome = PolicyEngine.evaluate(policy: policy, signals: signals, state: state, now: PolicyInstant(milliseconds: now))
        // In an HA pair, only the lease holder runs hooks and applies, and only once this pool
        // has taken over under the lease's epoch; a follower decides and journals (without an
        // epoch) so it is ready to take over.
        let leadership = leads()
        if !context.dryRun && leadership.leads {
            outcome = await promoteIfNeeded(outcome, signals: signals, now: now)
            outcome = await scaleIfNeeded(outcome, members: members.sorted())
        }
        let stored = Self.stored(outcome.state, pool: policy.pool, at: now)
        // The first evaluation after a takeover journals it under the new epoch: what it applies
        // next (the routing again, and the follower's decisions) is then the new leader's.
        let takeover = leadership.epoch.flatMap { epoch in
            unjournaledTakeover.map { Self.takeover(epoch: epoch, fromShared: $0, pool: policy.pool, at: now) }
        }
        do {
            try await context.store.writer.recordEvaluation(
                decisions: (takeover.map { [$0.entry] } ?? []) + outcome.decisions.map { Self.journalEntry($0, epoch: leadership.epoch) },
                state: stored
            )
            if takeover != nil { unjournaledTakeover = nil }
        } catch {
            // Nothing reaches the proxy or target discovery from an evaluation that could not be
            // recorded: a restart would not know about it. The next evaluation starts again from
            // the last recorded state (a hook that already ran is run again: hooks are idempotent).
            context.logger.error("could not record an evaluation; nothing applied", metadata: ["pool": "\(policy.pool)", "error": "\(error)"])
            context.metrics.evaluationFailures.increment()
            return EvaluationOutcome(decisions: [], shared: true)
        }
        // A leader whose state did not reach PostgreSQL applies nothing: a takeover would continue
        // from the older shared state and undo it (an operator's drain, say).
        var shared = true
        if let epoch = leadership.epoch, let ha = context.ha, !(await ha.share(stored, epoch: epoch)) {
            context.metrics.stateShareFailures.increment()
            shared = false
        }
        if shared == shareFailing {
            shareFailing = !shared
            if shared {
                context.logger.notice("the engine state reaches the HA pair again; applying", metadata: ["pool": "\(policy.pool)"])
            } else {
                context.logger.error(
                    "cannot share the engine state with the HA pair; applying nothing until it can",
                    metadata: ["pool": "\(policy.pool)"]
                )
            }
        }
        if let requestedAt { context.metrics.decisionLatency.record((ContinuousClock.now - requestedAt) / .seconds(1)) }
        if let members = outcome.state.scaledMembers, members != state.scaledMembers {
            await context.membershipChanged(policy.pool, members)
        }
        state = outcome.state
        lastOutcome = outcome
        evaluatedAt = now
        desired = outcome.routing
        pendingChanges += outcome.decisions.filter(\.action.movesTraffic)
        if let takeover {
            context.logger.notice("journaled the takeover", metadata: ["pool": "\(policy.pool)", "reason": "\(takeover.entry.reason)"])
            recent.insert(takeover.status, at: 0)
        }
        for decision in outcome.decisions {
            context.logger.notice(
                "decision",
                metadata: ["pool": "\(policy.pool)", "kind": "\(decision.action.kind)", "reason": "\(decision.reason)"]
            )
            recent.insert(Self.status(of: decision, epoch: leadership.epoch), at: 0)
        }
        if recent.count > 20 { recent.removeLast(recent.count - 20) }
        for (name, reason) in readout.failures {
            context.logger.warning("signal has no value", metadata: ["pool": "\(policy.pool)", "signal": "\(name)", "reason": "\(reason)"])
        }
        if let reason = readout.upFailure {
            context.logger.warning("backends' health is unknown", metadata: ["pool": "\(policy.pool)", "reason": "\(reason)"])
        }
        if shared { await applyIfNeeded(now: now, decidedUnder: leadership) }
        context.metrics.recorded(
            pool: policy.pool,
            outcome: outcome,
            readout: readout,
            applied: applied,
            seconds: (ContinuousClock.now - started) / .seconds(1)
        )
        context.observeFailover(outcome.decisions, appliedAt: applied == desired ? WallClock.now() : nil)
        return EvaluationOutcome(decisions: outcome.decisions, shared: shared)
    }

    /// Runs the promote hook before a failover the engine decided; if it fails, the engine decides
    /// again with those standbys refused (so the refusal, with the hook's reason, is what is
    /// journaled and nothing switches).
    private func promoteIfNeeded(_ outcome: EngineOutcome, signals: PoolSignals, now: Int64) async -> EngineOutcome {
        guard let hook = compiled.policy.failover?.promote,
            let decision = outcome.decisions.first(where: { if case .failover = $0.action { true } else { false } }),
            case .failover(_, let serving) = decision.action
        else { return outcome }
        let promoteHook = PoolHook(hook: hook, directory: Appliers.directory(of: compiled.path))
        let demote = signals.members ?? []
        guard let failure = await promoteHook.promote(pool: compiled.pool, promote: serving, demote: demote, reason: decision.reason) else {
            context.logger.notice("promote hook succeeded", metadata: ["pool": "\(compiled.pool)", "promoted": "\(serving)"])
            return outcome
        }
        context.logger.error("promote hook failed; failover blocked", metadata: ["pool": "\(compiled.pool)", "failure": "\(failure)"])
        context.metrics.hookFailures.increment()
        var blocked = signals
        for address in serving { blocked.promotionFailures[address] = failure.description }
        return PolicyEngine.evaluate(policy: compiled.policy, signals: blocked, state: state, now: PolicyInstant(milliseconds: now))
    }

    /// Runs the scale hook for a scale decision; the pool's members follow its answer. If it
    /// fails, the decision is journaled as `scale_failed` with the hook's reason and the engine's
    /// scaling state stays as it was, so the change is decided and tried again.
    private func scaleIfNeeded(_ outcome: EngineOutcome, members: [BackendAddress]) async -> EngineOutcome {
        guard let hook = compiled.policy.scaling?.hook,
            let index = outcome.decisions.firstIndex(where: { if case .scale = $0.action { true } else { false } }),
            case .scale(let from, let to) = outcome.decisions[index].action
        else { return outcome }
        var outcome = outcome
        let decision = outcome.decisions[index]
        let scaleHook = PoolHook(hook: hook, directory: Appliers.directory(of: compiled.path))
        let failure: HookFailure
        switch await scaleHook.scale(pool: compiled.pool, from: from, to: to, backends: members, reason: decision.reason) {
        case .success(let answered) where answered.count > (compiled.policy.scaling?.max ?? Int.max):
            failure = HookFailure("it answered \(answered.count) members, more than scaling.max")
        case .success(let answered) where answered.contains(where: compiled.standby.contains):
            failure = HookFailure("it answered a standby backend as a member; standby backends are the failover tier")
        case .success(let answered) where answered.contains(where: isAnotherPoolsBackend):
            failure = HookFailure("it answered a backend of another pool; an address belongs to one pool only")
        case .success(let answered):
            context.logger.notice("scale hook succeeded", metadata: ["pool": "\(compiled.pool)", "members": "\(answered)"])
            // Target discovery follows once the evaluation is recorded.
            outcome.state.scaledMembers = answered
            return outcome
        case .failure(let hookFailure):
            failure = hookFailure
        }
        context.logger.error("scale hook failed", metadata: ["pool": "\(compiled.pool)", "failure": "\(failure)"])
        context.metrics.hookFailures.increment()
        outcome.state.scaling = state.scaling
        outcome.decisions[index] = Decision(
            pool: decision.pool,
            time: decision.time,
            origin: decision.origin,
            action: .scaleFailed(from: from, to: to),
            reason: "the scale hook failed: \(failure); nothing changed; wanted: \(decision.reason)"
        )
        return outcome
    }

    /// Whether `address` is scraped as a backend of another pool.
    private func isAnotherPoolsBackend(_ address: BackendAddress) -> Bool {
        let text = address.description
        return context.collector.statuses().contains { $0.target.job != compiled.pool && $0.target.instance == text }
    }

    /// The next time (ms) the pool needs an evaluation before its interval: the earliest end of
    /// an ejection, or a coalesced change falling due.
    func nextTimedEvent() -> Int64? {
        (state.backends.compactMap { $0.health.ejectedUntil?.milliseconds } + [deferredUntil].compactMap { $0 }).min()
    }

    /// Hands the desired routing to the applier until it carries it. A routing that failed is
    /// retried with a backoff (1 s, doubling, at most 60 s) unless the engine wants another one;
    /// each new failure reason is journaled as `apply_failed`.
    /// Applies the desired routing if this instance led when the evaluation decided it and still
    /// leads under the same epoch, so everything applied was journaled under that epoch.
    private func applyIfNeeded(now: Int64, decidedUnder leadership: (leads: Bool, epoch: Int64?)) async {
        // A follower, or a leader whose lease is no longer sure, leaves the proxy alone.
        guard leadership.leads, leads() == leadership else { return }
        guard applied != desired else {
            // The proxy already carries this routing: the decisions that led here are done.
            pendingChanges.removeAll()
            return
        }
        if failedRouting == desired, let retryAt = deferredUntil, now < retryAt { return }
        if let before = routingBeforeApplier {
            await applier.remember(before)
            routingBeforeApplier = nil
        }
        do {
            switch try await applier.apply(RoutingChange(pool: compiled.pool, routing: desired, decisions: pendingChanges)) {
            case .carried:
                applied = desired
                lastApplyError = nil
                lastAppliedAt = WallClock.now()
                deferredUntil = nil
                applyFailureStreak = 0
                failedRouting = nil
                pendingChanges.removeAll()
            case .deferred(let until):
                deferredUntil = until
            }
        } catch {
            applyFailureStreak += 1
            let delay = Int64(min(60_000, 1000 << min(applyFailureStreak - 1, 6)))
            deferredUntil = WallClock.now() + delay
            failedRouting = desired
            let reason = "\(applier.name): \(error)"
            context.logger.error(
                "could not apply; will retry",
                metadata: ["pool": "\(compiled.pool)", "applier": "\(applier.name)", "error": "\(error)", "retry_in_ms": "\(delay)"]
            )
            context.metrics.applyFailures.increment()
            if reason != lastApplyError { await journalApplyFailure(reason, at: now) }
            lastApplyError = reason
        }
    }

    /// Journals an apply failure beside the engine's decisions, so `/api/v1/decisions` and the
    /// status page show when the proxy stopped following and why.
    private func journalApplyFailure(_ reason: String, at now: Int64) async {
        let entry = JournalEntry(timestamp: now, pool: compiled.pool, kind: "apply_failed", reason: reason, data: "{}")
        do {
            try await context.store.writer.recordEvaluation(decisions: [entry], state: nil)
        } catch {
            context.logger.error("could not journal an apply failure", metadata: ["pool": "\(compiled.pool)", "error": "\(error)"])
        }
        recent.insert(DecisionStatus(time: now, pool: compiled.pool, kind: "apply_failed", origin: "applier", reason: reason, decision: "{}"), at: 0)
        if recent.count > 20 { recent.removeLast(recent.count - 20) }
    }

    /// The pool as the status API shows it.
    func status() -> PoolStatus {
        let policy = compiled.policy
        let now = WallClock.now()
        let statuses = Dictionary(
            context.collector.statuses().filter { $0.target.job == policy.pool }.map { ($0.target.instance, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let appliedWeights = Dictionary((applied ?? []).map { ($0.address, $0.weight) }, uniquingKeysWith: { first, _ in first })
        let backends = desired.map { routing -> BackendStatus in
            let backendState = state.backend(routing.address)
            let scrape = statuses[routing.address.description]
            var progress: Double?
            if let start = backendState?.weight?.rampStart, let slowStart = policy.weights?.slowStart, slowStart.milliseconds > 0 {
                let elapsed = Double(now - start.milliseconds) / Double(slowStart.milliseconds)
                if elapsed < 1 { progress = max(0, elapsed) }
            }
            let health = backendState.map { $0.health.healthy ? "healthy" : "unhealthy" } ?? "unknown"
            // Without scrapes of its own (`scrape: none`), up is what the remote server reported.
            let up = policy.scrape.enabled ? scrape.flatMap { $0.health == .unknown ? nil : $0.health == .up } : readout.up[routing.address]
            let lastError = policy.scrape.enabled ? scrape?.lastError ?? "" : readout.upFailure ?? ""
            return BackendStatus(
                address: routing.address.description,
                tier: backendState?.tier.rawValue ?? "active",
                health: up == nil ? "unknown" : health,
                up: up,
                state: routing.state.rawValue,
                desiredWeight: routing.weight,
                appliedWeight: appliedWeights[routing.address],
                ejectedUntil: backendState?.health.ejectedUntil?.milliseconds,
                slowStartProgress: progress,
                lastScrape: scrape?.lastScrape,
                lastError: lastError,
                signals: readout.backends[routing.address] ?? [:]
            )
        }
        var holdDown = 0.0
        if let failover = policy.failover, let changed = state.failover.changedAt {
            holdDown = max(0, Double(changed.milliseconds + failover.holdDown.milliseconds - now) / 1000)
        }
        let scaling = lastOutcome?.scaling.flatMap { verdict in
            policy.scaling.map { ScalingStatus(current: verdict.current, desired: verdict.desired, min: $0.min, max: $0.max, reason: verdict.reason) }
        }
        return PoolStatus(
            pool: policy.pool,
            policyFile: compiled.path,
            applier: applier.name,
            dryRun: context.dryRun,
            evaluatedAt: evaluatedAt,
            evaluationIntervalSeconds: policy.evaluationInterval.seconds,
            servingTier: state.failover.serving.rawValue,
            panic: state.panic,
            holdDownRemainingSeconds: holdDown,
            applied: applied == desired,
            lastApplyError: lastApplyError,
            lastAppliedAt: lastAppliedAt,
            backends: backends,
            scaling: scaling,
            signalErrors: readout.failures,
            decisions: recent
        )
    }

    static func journalEntry(_ decision: Decision, epoch: Int64? = nil) -> JournalEntry {
        JournalEntry(
            timestamp: decision.time.milliseconds,
            pool: decision.pool,
            kind: decision.action.kind,
            reason: decision.reason,
            data: encoded(decision),
            epoch: epoch
        )
    }

    /// The journal entry and status line of a takeover under a new epoch.
    static func takeover(
        epoch: Int64,
        fromShared: Bool,
        pool: String,
        at time: Int64
    ) -> (entry: JournalEntry, status: DecisionStatus) {
        let from = fromShared ? "the engine state the previous leader shared" : "this instance's own engine state (none was shared)"
        let reason = "took over as the HA leader under epoch \(epoch), continuing from \(from); the routing is applied again"
        return (
            JournalEntry(timestamp: time, pool: pool, kind: "takeover", reason: reason, data: "{}", epoch: epoch),
            DecisionStatus(time: time, pool: pool, kind: "takeover", origin: "ha", reason: reason, decision: "{}", epoch: epoch)
        )
    }

    static func status(of decision: Decision, epoch: Int64? = nil) -> DecisionStatus {
        DecisionStatus(
            time: decision.time.milliseconds,
            pool: decision.pool,
            kind: decision.action.kind,
            origin: decision.origin.rawValue,
            reason: decision.reason,
            decision: encoded(decision),
            epoch: epoch
        )
    }

    static func stored(_ state: EngineState, pool: String, at time: Int64) -> StoredEngineState {
        StoredEngineState(pool: pool, version: EngineState.formatVersion, timestamp: time, data: Array(encoded(state).utf8))
    }

    private static func encoded(_ value: some Encodable) -> String {
        // Engine values are plain data: encoding cannot fail.
        (try? String(decoding: JSONEncoder.api.encode(value), as: UTF8.self)) ?? "{}"
    }
}
