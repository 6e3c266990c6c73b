/// Everything the engine remembers between evaluations of one pool, as a plain value: the daemon
/// persists it, replay copies it, and the same state plus the same inputs gives the same output.
package struct EngineState: Sendable, Hashable, Codable {
    /// Evaluations done so far; 0 means the pool was never evaluated.
    package var evaluations = 0
    /// The active members as last given, to notice membership changes cheaply.
    package var members: [BackendAddress] = []
    /// The standby members as last given (from the policy), for the same reason.
    package var standby: [BackendAddress] = []
    /// Every known backend of both tiers, sorted by address.
    package var backends: [BackendState] = []
    /// Which tier serves.
    package var failover = FailoverState()
    /// The HPA's windows and events.
    package var scaling = ScalingState()
    /// Whether the serving tier is in panic mode.
    package var panic = false
    /// The routing last decided, so a weights decision is made only when it changes.
    package var routing: [BackendRouting] = []
    /// The pool's members as the scale hook last reported them, which replace the policy's
    /// static list and file_sd targets from then on (kept here so a restart keeps them); `nil`
    /// until a scale hook answers.
    package var scaledMembers: [BackendAddress]?

    /// Creates the state of a pool never evaluated.
    package init() {}

    /// The version of this type's JSON form, stored beside a persisted state. Bump it when a
    /// change makes an older state decode wrongly (not when a field with a default is added): the
    /// daemon then drops a state of another version with a logged reason and starts afresh,
    /// rather than acting on a misread hold-down or window.
    package static let formatVersion = 1

    /// The state kept for `address`, if it is a member.
    package func backend(_ address: BackendAddress) -> BackendState? {
        backends.first { $0.address == address }
    }
}
