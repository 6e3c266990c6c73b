/// Active-passive failover: Envoy's priority rule decides when the active tier is too unhealthy,
/// orchestrator's recovery block (hold-down) stops flapping, Patroni's `maximum_lag_on_failover`
/// keeps a lagging replica from being promoted, and failback is automatic after a delay or manual.
///
/// One tier serves at a time: a promoted database replica must never share traffic with the old
/// primary, so Envoy's proportional spill-over between priorities is not modelled.
struct FailoverController {
    let policy: FailoverPolicy

    /// The facts the controller decides on, gathered by the engine.
    struct Facts {
        /// Active backends available for traffic, and the undrained active backends.
        var activeAvailable: Int
        var activeCount: Int
        /// The standby backends in promotion order.
        var standby: [Standby]
    }

    /// What eligibility looks at for one standby backend.
    struct Standby {
        var address: BackendAddress
        var signals: BackendSignals?
        var health: BackendHealth
        var drained: Bool
        /// Why its promote hook just failed, if it did.
        var promotionFailure: String? = nil
    }

    /// Applies operator commands first (they bypass hold-down), then the automatic rules. A
    /// failover an operator asked for (a switchover) stays until an operator fails back: an
    /// automatic failback would undo planned maintenance as soon as the old tier looked healthy.
    func evaluate(facts: Facts, commands: [OperatorCommand], state: inout FailoverState, now: PolicyInstant) -> [DecisionDraft] {
        var drafts: [DecisionDraft] = []
        for command in commands {
            drafts.append(apply(command, facts: facts, state: &state, now: now))
        }
        if let automatic = automatic(facts: facts, state: &state, now: now) {
            drafts.append(automatic)
        }
        return drafts
    }

    private func apply(_ command: OperatorCommand, facts: Facts, state: inout FailoverState, now: PolicyInstant) -> DecisionDraft {
        switch command {
        case .failover:
            guard state.serving == .active else {
                return DecisionDraft(.rejected(command: command), reason: "failover refused: the standby tier already serves", origin: .operator)
            }
            let (eligible, refusals) = eligibleStandby(facts)
            guard let promote = eligible.first else {
                return DecisionDraft(
                    .rejected(command: command),
                    reason: "failover refused: no eligible standby (\(refusals.joined(separator: "; ")))",
                    origin: .operator
                )
            }
            switchToStandby(eligible, state: &state, now: now)
            state.pinnedByOperator = true
            return DecisionDraft(
                .failover(promote: promote, serving: eligible),
                reason: "operator requested failover with \(activeSummary(facts)); promoting \(promote)",
                origin: .operator
            )
        case .failback:
            guard state.serving == .standby else {
                return DecisionDraft(.rejected(command: command), reason: "failback refused: the active tier already serves", origin: .operator)
            }
            guard facts.activeAvailable > 0 else {
                return DecisionDraft(.rejected(command: command), reason: "failback refused: no active backend is healthy", origin: .operator)
            }
            switchToActive(state: &state, now: now)
            return DecisionDraft(.failback, reason: "operator requested failback with \(activeSummary(facts))", origin: .operator)
        case .drain, .undrain:
            return DecisionDraft(.rejected(command: command), reason: "not a failover command", origin: .operator)
        }
    }

    private func automatic(facts: Facts, state: inout FailoverState, now: PolicyInstant) -> DecisionDraft? {
        let degraded = isDegraded(facts)
        let holdDownEnds = state.changedAt.map { $0 + policy.holdDown }
        let heldDown = holdDownEnds.map { now < $0 } ?? false
        switch state.serving {
        case .active:
            guard degraded else {
                state.blocked = nil
                return nil
            }
            if heldDown, let holdDownEnds {
                return block(
                    "hold-down",
                    state: &state,
                    reason:
                        "\(activeSummary(facts)) but failover is held down for another \(holdDownEnds - now) (hold_down \(policy.holdDown) after the last failover or failback)"
                )
            }
            let (eligible, refusals) = eligibleStandby(facts)
            guard let promote = eligible.first else {
                return block(
                    "no-eligible",
                    state: &state,
                    reason: "\(activeSummary(facts)) but no standby is eligible: \(refusals.joined(separator: "; "))"
                )
            }
            switchToStandby(eligible, state: &state, now: now)
            return DecisionDraft(.failover(promote: promote, serving: eligible), reason: "\(activeSummary(facts)); promoting \(promote)")
        case .standby:
            state.blocked = nil
            guard !degraded && facts.activeAvailable > 0 else {
                state.activeRecoveredAt = nil
                return nil
            }
            let since = state.activeRecoveredAt ?? now
            state.activeRecoveredAt = since
            guard policy.failback == .auto, !state.pinnedByOperator, now - since >= policy.failbackDelay, !heldDown else { return nil }
            switchToActive(state: &state, now: now)
            return DecisionDraft(
                .failback,
                reason:
                    "active tier healthy again for \(now - since) (failback after \(policy.failbackDelay)): \(facts.activeAvailable) of \(facts.activeCount) available"
            )
        }
    }

    private func block(_ kind: String, state: inout FailoverState, reason: String) -> DecisionDraft? {
        guard state.blocked != kind else { return nil }
        state.blocked = kind
        return DecisionDraft(.failoverBlocked, reason: reason)
    }

    private func switchToStandby(_ eligible: [BackendAddress], state: inout FailoverState, now: PolicyInstant) {
        state.serving = .standby
        state.servingStandby = eligible
        state.changedAt = now
        state.activeRecoveredAt = nil
        state.blocked = nil
    }

    private func switchToActive(state: inout FailoverState, now: PolicyInstant) {
        state.serving = .active
        state.pinnedByOperator = false
        state.servingStandby = []
        state.changedAt = now
        state.activeRecoveredAt = nil
    }

    /// Envoy: the active tier keeps `min(1, healthy share × overprovisioning factor)` of the load;
    /// below 1 it can no longer carry all of it. `activate_below` names the threshold instead.
    func isDegraded(_ facts: Facts) -> Bool {
        guard facts.activeCount > 0 else { return true }
        let share = Double(facts.activeAvailable) / Double(facts.activeCount)
        if let threshold = policy.activateBelow {
            return share < threshold.fraction
        }
        return share * policy.overprovisioningFactor < 1
    }

    private func activeSummary(_ facts: Facts) -> String {
        guard facts.activeCount > 0 else { return "the active tier has no backends" }
        let share = Double(facts.activeAvailable) / Double(facts.activeCount)
        let rule =
            policy.activateBelow.map { "activate below \($0)" }
            ?? "× overprovisioning \(Reason.number(policy.overprovisioningFactor)) = \(Reason.number(min(1, share * policy.overprovisioningFactor) * 100))% of load"
        return "active tier \(facts.activeAvailable) of \(facts.activeCount) healthy (\(Reason.number(share * 100))% \(rule))"
    }

    /// Standby backends in promotion order that may take traffic, and why the others may not.
    func eligibleStandby(_ facts: Facts) -> (eligible: [BackendAddress], refusals: [String]) {
        var eligible: [BackendAddress] = []
        var refusals: [String] = []
        for standby in facts.standby {
            if let refusal = refusal(standby) {
                refusals.append(refusal)
            } else {
                eligible.append(standby.address)
            }
        }
        return (eligible, refusals)
    }

    private func refusal(_ standby: Standby) -> String? {
        let address = standby.address
        if standby.drained { return "\(address) is drained" }
        if let failure = standby.promotionFailure { return "\(address) could not be promoted: the promote hook failed (\(failure))" }
        guard standby.signals?.up == true else { return "\(address) is down (scrape failed)" }
        if !standby.health.healthy { return "\(address) is unhealthy (\(standby.health.lastFailure ?? "failing"))" }
        if let bound = policy.eligibility.maxLag {
            guard let lag = standby.signals?.value(of: bound.signal) else {
                return "\(address) has no \(bound.signal) value, so its lag is unknown"
            }
            if lag > bound.max {
                return "\(address) lags: \(bound.signal) \(Reason.number(lag)) > max \(Reason.number(bound.max))"
            }
        }
        return nil
    }
}
