import Policy

/// Why a signal expression is invalid, located inside the expression (1-based line, and column
/// in bytes as PromQL parsers report it) so the loader can point into the policy file.
public struct ExpressionProblem: Sendable, Hashable {
    /// The line inside the expression.
    public var line: Int
    /// The byte column inside that line.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// Creates a problem report.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
