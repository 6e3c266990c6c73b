import Policy

/// Why a signal expression is invalid, located inside the expression (1-based line, and column
/// in bytes as PromQL parsers report it) so the loader can point into the policy file.
package struct ExpressionProblem: Sendable, Hashable {
    /// The line inside the expression.
    package var line: Int
    /// The byte column inside that line.
    package var column: Int
    /// What is wrong.
    package var message: String

    /// Creates a problem report.
    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
