/// `expr[range:step] offset d`: an instant-vector expression evaluated at every multiple of
/// `step` inside each window, giving a range vector for the `_over_time` and rate functions.
public struct Subquery: Sendable {
    public var expr: Expr
    /// Milliseconds.
    public var range: Int64
    /// Milliseconds; nil takes the engine's default (Prometheus' evaluation interval, 1m).
    public var step: Int64?
    /// Milliseconds, as for selectors.
    public var offset: Int64
    /// `@ time`, as for selectors.
    public var at: AtModifier?
    /// Numbers the subqueries of one parsed expression, so evaluations can be cached per node.
    let id: Int
}
