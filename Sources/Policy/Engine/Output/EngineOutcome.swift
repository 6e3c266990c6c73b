/// The result of one evaluation: the state to keep, the decisions to apply and journal, and the
/// pool's current picture for status pages and replay.
public struct EngineOutcome: Sendable, Hashable, Codable {
    /// The state to pass to the next evaluation.
    public var state: EngineState
    /// What changed, in the order it was decided; empty when nothing changed.
    public var decisions: [Decision]
    /// Every backend's weight and routing state now, sorted by address.
    public var routing: [BackendRouting]
    /// Which tier serves.
    public var servingTier: FailoverState.Tier
    /// Whether the serving tier is in panic mode.
    public var panic: Bool
    /// The scaling verdict, when the policy scales.
    public var scaling: ScalingVerdict?

    /// Creates an outcome.
    public init(
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
public struct ScalingVerdict: Sendable, Hashable, Codable {
    /// Replicas before the evaluation.
    public var current: Int
    /// Replicas the pool should have.
    public var desired: Int
    /// The rules that fired, with their values.
    public var reason: String

    /// Creates a verdict.
    public init(current: Int, desired: Int, reason: String) {
        self.current = current
        self.desired = desired
        self.reason = reason
    }
}
