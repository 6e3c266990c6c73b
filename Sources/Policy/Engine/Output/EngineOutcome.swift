/// The result of one evaluation: the state to keep, the decisions to apply and journal, and the
/// pool's current picture for status pages and replay.
package struct EngineOutcome: Sendable, Hashable, Codable {
    /// The state to pass to the next evaluation.
    package var state: EngineState
    /// What changed, in the order it was decided; empty when nothing changed.
    package var decisions: [Decision]
    /// Every backend's weight and routing state now, sorted by address.
    package var routing: [BackendRouting]
    /// Which tier serves.
    package var servingTier: FailoverState.Tier
    /// Whether the serving tier is in panic mode.
    package var panic: Bool
    /// The scaling verdict, when the policy scales.
    package var scaling: ScalingVerdict?

    /// The outcome of no evaluation yet: `state` with nothing decided, for
    /// ``PolicyEngine/evaluate(policy:signals:into:now:reasons:)`` to evaluate from.
    package init(state: EngineState) {
        self.init(state: state, decisions: [], routing: state.routing, servingTier: state.failover.serving, panic: state.panic, scaling: nil)
    }

    /// Creates an outcome.
    package init(
        state: EngineState,
        decisions: [Decision],
        routing: [BackendRouting],
        servingTier: FailoverState.Tier,
        panic: Bool,
        scaling: ScalingVerdict?
    ) {
        self.state = state
        self.decisions = decisions
        self.routing = routing
        self.servingTier = servingTier
        self.panic = panic
        self.scaling = scaling
    }
}

/// The replica count the pool had, the count it should have, and why (also when unchanged).
package struct ScalingVerdict: Sendable, Hashable, Codable {
    /// Replicas before the evaluation.
    package var current: Int
    /// Replicas the pool should have.
    package var desired: Int
    /// The rules that fired, with their values (empty for an unchanged count when the caller
    /// asked for the reasons of decisions only).
    package var reason: String

    /// Creates a verdict.
    package init(current: Int, desired: Int, reason: String) {
        self.current = current
        self.desired = desired
        self.reason = reason
    }
}
