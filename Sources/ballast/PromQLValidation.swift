import PolicyLoading
import Query

/// The query engine's parser as the policy loader's expression check: injected by the commands
/// that load policies, so the `Policy` and `PolicyLoading` targets stay independent of `Query`.
enum PromQLValidation {
    @Sendable static func problem(_ expression: String) -> ExpressionProblem? {
        do {
            _ = try PromQL.parse(expression)
            return nil
        } catch {
            return ExpressionProblem(line: error.line, column: error.column, message: error.message)
        }
    }
}
