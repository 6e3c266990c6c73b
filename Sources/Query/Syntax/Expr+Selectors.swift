extension Expr {
    /// The same expression with every series selector (instant, range or inside a subquery)
    /// replaced by `transform` of it: the control loop scopes a policy's signals to its pool.
    package func mapSelectors(_ transform: (VectorSelector) -> VectorSelector) -> Expr {
        switch self {
        case .number, .string:
            return self
        case .vectorSelector(let selector):
            return .vectorSelector(transform(selector))
        case .matrixSelector(let selector, let range):
            return .matrixSelector(transform(selector), range: range)
        case .subquery(var subquery):
            subquery.expr = subquery.expr.mapSelectors(transform)
            return .subquery(subquery)
        case .unaryMinus(let inner):
            return .unaryMinus(inner.mapSelectors(transform))
        case .paren(let inner):
            return .paren(inner.mapSelectors(transform))
        case .binary(var binary):
            binary.lhs = binary.lhs.mapSelectors(transform)
            binary.rhs = binary.rhs.mapSelectors(transform)
            return .binary(binary)
        case .call(var call):
            call.args = call.args.map { $0.mapSelectors(transform) }
            return .call(call)
        case .aggregate(var aggregate):
            aggregate.expr = aggregate.expr.mapSelectors(transform)
            aggregate.parameter = aggregate.parameter?.mapSelectors(transform)
            return .aggregate(aggregate)
        }
    }
}
