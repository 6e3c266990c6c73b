package import Policy
import Yams

/// Loads a policy file's text into a ``PoolPolicy``, reporting every problem with its position.
///
/// Loading does no I/O: the caller reads the file and passes its text and the path to print.
/// The `Policy` target does not know PromQL, so a validator for signal expressions is injected
/// (`ballast check` passes the query engine's parser).
package struct PolicyLoader: Sendable {
    /// Checks one PromQL expression; returns why it is invalid, or `nil` when it is valid.
    package typealias ExpressionValidator = @Sendable (String) -> ExpressionProblem?

    /// The injected PromQL check, if any.
    package var validateExpression: ExpressionValidator?

    /// Creates a loader; without a validator, expressions are only checked for being non-empty.
    package init(validateExpression: ExpressionValidator? = nil) {
        self.validateExpression = validateExpression
    }

    /// Parses and validates `yaml`, after replacing the values `overrides` name; `path` is used in
    /// diagnostics only.
    package func load(yaml: String, path: String, overrides: [PolicyOverride] = []) throws(PolicyLoadError) -> PoolPolicy {
        var root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PolicyLoadError(diagnostics: [
                    PolicyDiagnostic(path: path, line: 1, column: 1, message: "the policy is empty; it needs at least \"pool\" and \"backends\"")
                ])
            }
            root = node
        } catch let error as PolicyLoadError {
            throw error
        } catch {
            let (position, message) = YAMLErrorMapping.describe(error, in: yaml)
            throw PolicyLoadError(diagnostics: [PolicyDiagnostic(path: path, line: position.line, column: position.column, message: message)])
        }
        var applier = OverrideApplier()
        for override in overrides { root = applier.apply(override, to: root) }
        var checker = SchemaChecker(validateExpression: validateExpression, source: yaml)
        let checked = checker.check(root, against: PolicySchema.root, keyPath: "")
        var problems = applier.problems + checker.problems
        var policy: PoolPolicy?
        if case .object(let object)? = checked?.value {
            var builder = PolicyBuilder()
            policy = builder.build(object)
            problems += builder.problems
        }
        guard problems.isEmpty, let policy else {
            let diagnostics = problems.enumerated()
                .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                .map { PolicyDiagnostic(path: path, line: $0.element.0.line, column: $0.element.0.column, message: $0.element.1) }
            throw PolicyLoadError(diagnostics: diagnostics)
        }
        return policy
    }
}
