/// `op [by|without (labels)] ([parameter,] expr)`.
public struct AggregateExpr: Sendable {
    public var op: AggregationOperator
    public var parameter: Expr?
    public var expr: Expr
    public var grouping: [String]
    /// True for `without`, false for `by` (and when no grouping is given: one group).
    public var without: Bool
}
