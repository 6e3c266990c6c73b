/// A named PromQL expression evaluated per backend (grouped by `instance`).
public struct SignalDefinition: Sendable, Hashable {
    /// The name rules refer to (`cpu`, `p99`): letters, digits and underscores.
    public var name: String
    /// The PromQL expression as written.
    public var expression: String

    /// Creates a signal definition.
    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }
}
