/// A parsed PromQL expression. Parse once with `PromQL.parse(_:)` and evaluate many times:
/// policies evaluate the same signals every few seconds.
public indirect enum Expr: Sendable {
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
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .unaryMinus(let inner), .paren(let inner): return inner.type
        case .binary(let binary): return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .call(let call): return call.function.returnType
        case .aggregate: return .vector
        }
    }
}

/// `lhs op rhs` with its modifiers.
public struct BinaryExpr: Sendable {
    public var op: BinaryOperator
    public var lhs: Expr
    public var rhs: Expr
    /// `bool`: comparisons return 0 or 1 instead of filtering.
    public var returnBool: Bool
    /// Present only when both sides are instant vectors.
    public var matching: VectorMatching?
}

/// A function call with its already type-checked arguments.
public struct FunctionCall: Sendable {
    public var function: Function
    public var args: [Expr]
}

/// `op [by|without (labels)] ([parameter,] expr)`.
public struct AggregateExpr: Sendable {
    public var op: AggregationOperator
    public var parameter: Expr?
    public var expr: Expr
    public var grouping: [String]
    /// True for `without`, false for `by` (and when no grouping is given: one group).
    public var without: Bool
}
