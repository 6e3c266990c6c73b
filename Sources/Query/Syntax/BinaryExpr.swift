/// `lhs op rhs` with its modifiers.
package struct BinaryExpr: Sendable {
    package var op: BinaryOperator
    package var lhs: Expr
    package var rhs: Expr
    /// `bool`: comparisons return 0 or 1 instead of filtering.
    package var returnBool: Bool
    /// Present only when both sides are instant vectors.
    package var matching: VectorMatching?
}
