/// `expr[range:step] offset d`: an instant-vector expression evaluated at every multiple of
/// `step` inside each window, giving a range vector for the `_over_time` and rate functions.
package struct Subquery: Sendable {
    package var expr: Expr
    /// Milliseconds.
    package var range: Int64
    /// Milliseconds; nil takes the engine's default (Prometheus' evaluation interval, 1m).
    package var step: Int64?
    /// Milliseconds, as for selectors.
    package var offset: Int64
    /// `@ time`, as for selectors.
    package var at: AtModifier?
    /// Numbers the subqueries of one parsed expression, so evaluations can be cached per node.
    let id: Int
}
