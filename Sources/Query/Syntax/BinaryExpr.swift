/// `lhs op rhs`, with its modifiers.
package struct BinaryExpr: Sendable {
    package var op: BinaryOperator
    /// Replacing a side keeps its type (selectors map to selectors): ``type`` is fixed at creation.
    package var lhs: Expr
    package var rhs: Expr
    /// `bool`: comparisons return 0 or 1 instead of filtering.
    package var returnBool: Bool
    /// Present only when both sides are instant vectors.
    package var matching: VectorMatching?
    /// Scalar when both sides are, else vector. Kept rather than derived, so the type of a long
    /// chain `1 + 1 + … + 1` is known in constant time instead of by walking the chain at every
    /// operator (which made parsing quadratic).
    package let type: ValueType

    package init(op: BinaryOperator, lhs: Expr, rhs: Expr, returnBool: Bool, matching: VectorMatching?) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
        type = lhs.type == .scalar && rhs.type == .scalar ? .scalar : .vector
    }
}
