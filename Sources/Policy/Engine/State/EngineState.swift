/// Everything the engine remembers between evaluations of one pool, as a plain value: the daemon
/// persists it, replay copies it, and the same state plus the same inputs gives the same output.
public struct EngineState: Sendable, Hashable, Codable {
    /// Evaluations done so far; 0 means the pool was never evaluated.
    public var evaluations = 0
    /// The active members as last given, to notice membership changes cheaply.
    public var members: [BackendAddress] = []
    /// The standby members as last given (from the policy), for the same reason.
    public var standby: [BackendAddress] = []
    /// Every known backend of both tiers, sorted by address.
    public var backends: [BackendState] = []
    /// Which tier serves.
    public var failover = FailoverState()
    /// The HPA's windows and events.
    public var scaling = ScalingState()
    /// Whether the serving tier is in panic mode.
    public var panic = false
    /// The routing last decided, so a weights decision is made only when it changes.
    public var routing: [BackendRouting] = []

    /// Creates the state of a pool never evaluated.
    public init() {}

    /// The state kept for `address`, if it is a member.
    public func backend(_ address: BackendAddress) -> BackendState? {
        backends.first { $0.address == address }
    }
}
