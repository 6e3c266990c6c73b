/// A parsed PromQL expression. Parse once with `PromQL.parse(_:)` and evaluate many times:
/// policies evaluate the same signals every few seconds.
package indirect enum Expr: Sendable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    /// `selector[range]`, the range in milliseconds.
    case matrixSelector(VectorSelector, range: Int64)
    case subquery(Subquery)
    case unaryMinus(Expr)
    case binary(BinaryExpr)
    case call(FunctionCall)
    case aggregate(AggregateExpr)
    case paren(Expr)

    /// The type of value the expression evaluates to.
    package var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .unaryMinus(let inner), .paren(let inner): return inner.type
        case .binary(let binary): return binary.type
        case .call(let call): return call.function.returnType
        case .aggregate: return .vector
        }
    }
}
