/// One thing the engine decided, with the rule and values that made it decide: what the applier
/// acts on, the journal stores and the API shows.
package struct Decision: Sendable, Hashable, Codable {
    /// The pool the decision is for.
    package var pool: String
    /// The evaluation time that produced it.
    package var time: PolicyInstant
    /// Whether a rule or an operator caused it.
    package var origin: Origin
    /// What to do.
    package var action: Action
    /// Human-readable: the signal values and the rule that fired.
    package var reason: String

    /// Creates a decision.
    package init(pool: String, time: PolicyInstant, origin: Origin, action: Action, reason: String) {
        self.pool = pool
        self.time = time
        self.origin = origin
        self.action = action
        self.reason = reason
    }

    /// Who caused a decision.
    package enum Origin: String, Sendable, Hashable, Codable {
        /// The policy's rules.
        case automatic
        /// An ``OperatorCommand``.
        case `operator`
    }

    /// What a decision asks the applier (or only the journal) to do.
    package enum Action: Sendable, Hashable, Codable {
        /// Set every backend's weight and routing state (the whole assignment, sorted by address).
        case weights(routing: [BackendRouting])
        /// Change the replica count (the scaling hook runs).
        case scale(from: Int, to: Int)
        /// The scale hook did not carry out a scale decision; the engine's scaling state is kept
        /// as before it, so the change is decided and tried again.
        case scaleFailed(from: Int, to: Int)
        /// Take a backend out of rotation until a time.
        case eject(address: BackendAddress, until: PolicyInstant)
        /// A backend should be ejected but the `max_ejected` cap keeps it in rotation.
        case ejectionCapped(address: BackendAddress)
        /// Return an ejected backend to rotation.
        case restore(address: BackendAddress)
        /// Enter (`true`) or leave panic mode, in which every backend of the serving tier gets traffic.
        case panic(entered: Bool)
        /// Move traffic to the standby tier and run the promote hook for `promote`.
        case failover(promote: BackendAddress, serving: [BackendAddress])
        /// A failover is wanted but not allowed (hold-down, or no eligible standby).
        case failoverBlocked
        /// Move traffic back to the active tier.
        case failback
        /// Stop new traffic to a backend on an operator's request.
        case drain(address: BackendAddress)
        /// Return a drained backend to rotation.
        case undrain(address: BackendAddress)
        /// An operator command that could not be carried out.
        case rejected(command: OperatorCommand)
    }
}

/// A decision before the engine stamps it with the pool, the time and the origin.
struct DecisionDraft: Sendable, Hashable {
    var action: Decision.Action
    var reason: String
    var origin: Decision.Origin

    init(_ action: Decision.Action, reason: String, origin: Decision.Origin = .automatic) {
        self.action = action
        self.reason = reason
        self.origin = origin
    }
}
