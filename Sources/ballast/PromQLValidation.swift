import PolicyLoading
import Query

/// The query engine's parser as the policy loader's expression check: injected by the commands
/// that load policies, so the `Policy` and `PolicyLoading` targets stay independent of `Query`.
enum PromQLValidation {
    /// The deepest tree a policy signal may have. The daemon rewrites each signal (scoping its
    /// selectors to the pool) by recursion on an ordinary thread; a deeper signal is refused
    /// here rather than risk the daemon's stack. The query API and `ballast query` take deeper
    /// expressions (they evaluate on threads with large stacks).
    static let maximumSignalHeight = 1_000

    @Sendable static func problem(_ expression: String) -> ExpressionProblem? {
        let parsed: Expr
        do {
            parsed = try PromQL.parse(expression)
        } catch {
            return ExpressionProblem(line: error.line, column: error.column, message: error.message)
        }
        let height = parsed.height
        guard height <= maximumSignalHeight else {
            return ExpressionProblem(
                line: 1,
                column: 1,
                message: "the expression is \(height) levels deep; a signal may have at most \(maximumSignalHeight): split it into several signals"
            )
        }
        return nil
    }
}
