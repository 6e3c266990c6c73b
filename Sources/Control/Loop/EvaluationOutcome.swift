package import Policy

/// What an evaluation came to: its decisions, and (for an operator command) whether they reached the HA pair.
package struct EvaluationOutcome: Sendable {
    /// The evaluation's decisions.
    package var decisions: [Decision]
    /// Whether the state they led to reached the HA pair (always true outside one): when false,
    /// the leader applied nothing and a takeover now would not know about them.
    package var shared: Bool
}
