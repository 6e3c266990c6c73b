/// `op [by|without (labels)] ([parameter,] expr)`.
package struct AggregateExpr: Sendable {
    package var op: AggregationOperator
    package var parameter: Expr?
    package var expr: Expr
    package var grouping: [String]
    /// True for `without`, false for `by` (and when no grouping is given: one group).
    package var without: Bool
}
