/// A named PromQL expression evaluated per backend (grouped by `instance`).
package struct SignalDefinition: Sendable, Hashable {
    /// The name rules refer to (`cpu`, `p99`): letters, digits and underscores.
    package var name: String
    /// The PromQL expression as written.
    package var expression: String

    /// Creates a signal definition.
    package init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }
}
