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
