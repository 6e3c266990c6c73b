extension Expr {
    /// How many levels the expression tree has (a selector is 1, `a + b` 2): measured without
    /// recursion, so a chain of thousands of operators can be measured on any thread.
    package var height: Int {
        var deepest = 0
        var pending: [(expr: Expr, depth: Int)] = [(self, 1)]
        while let (expr, depth) = pending.popLast() {
            deepest = max(deepest, depth)
            for child in expr.children { pending.append((child, depth + 1)) }
        }
        return deepest
    }

    /// The direct subexpressions.
    var children: [Expr] {
        switch self {
        case .number, .string, .vectorSelector, .matrixSelector: []
        case .subquery(let subquery): [subquery.expr]
        case .unaryMinus(let inner), .paren(let inner): [inner]
        case .binary(let binary): [binary.lhs, binary.rhs]
        case .call(let call): call.args
        case .aggregate(let aggregate): [aggregate.expr] + (aggregate.parameter.map { [$0] } ?? [])
        }
    }
}
