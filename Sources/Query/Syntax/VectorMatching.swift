/// How the two sides of a vector–vector binary operation find their partners
/// (`on`/`ignoring` and `group_left`/`group_right`).
package struct VectorMatching: Sendable, Hashable {
    /// Which side may have several series per match group.
    package enum Cardinality: Sendable, Hashable {
        case oneToOne
        case manyToOne
        case oneToMany
        case manyToMany
    }

    package var cardinality: Cardinality
    /// True for `on(labels)`: match on exactly `labels`; false for `ignoring(labels)` (and by default).
    package var on: Bool
    /// The labels named by `on` or `ignoring`.
    package var labels: [String]
    /// The labels named by `group_left`/`group_right`, copied from the "one" side.
    package var include: [String]

    /// The default is what PromQL means without modifiers: one-to-one on all labels but the name.
    package init(cardinality: Cardinality = .oneToOne, on: Bool = false, labels: [String] = [], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}
