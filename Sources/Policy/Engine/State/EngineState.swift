/// Everything the engine remembers between evaluations of one pool, as a plain value: the daemon
/// persists it, replay copies it, and the same state plus the same inputs gives the same output.
public struct EngineState: Sendable, Hashable, Codable {
    /// Evaluations done so far; 0 means the pool was never evaluated.
    public var evaluations = 0
    /// The active members as last given, and the same sorted by address (sorting is cached
    /// because the daemon passes the same list every time).
    public var members: [BackendAddress] = []
    public var sortedMembers: [BackendAddress] = []
    /// Rise/fall and ejection state per backend.
    public var health: [BackendAddress: BackendHealth] = [:]
    /// Weight memory per backend.
    public var weights: [BackendAddress: BackendWeightState] = [:]
    /// Backends drained by an operator.
    public var drained: Set<BackendAddress> = []
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
}
