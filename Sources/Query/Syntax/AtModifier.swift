/// The `@` modifier: evaluate a selector or subquery at a fixed time instead of each step's.
package enum AtModifier: Sendable, Hashable {
    /// `@ 1700000000.5`, in milliseconds.
    case time(Int64)
    /// `@ start()`: the start of the range query (the time of an instant query).
    case start
    /// `@ end()`: the end of the range query (the time of an instant query).
    case end
}
