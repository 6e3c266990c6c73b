package import Policy

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

    /// Whether the daemon's configuration names a `signals_from` every pool may use; `false`
    /// makes `scrape: none` without a `signals_from` of the policy's own an error (the daemon
    /// knows; `ballast check`, without a configuration, assumes there is one).
    package var sharedSignalsFrom: Bool

    /// Creates a loader; without a validator, expressions are only checked for being non-empty.
    package init(validateExpression: ExpressionValidator? = nil, sharedSignalsFrom: Bool = true) {
        self.validateExpression = validateExpression
        self.sharedSignalsFrom = sharedSignalsFrom
    }

    /// Parses and validates `yaml`, after replacing the values `overrides` name; `path` is used in
    /// diagnostics only.
    package func load(yaml: String, path: String, overrides: [PolicyOverride] = []) throws(PolicyLoadError) -> PoolPolicy {
        try SchemaDocument.load(
            yaml: yaml,
            path: path,
            schema: PolicySchema.root,
            emptyMessage: "the policy is empty; it needs at least \"pool\" and \"backends\"",
            validateExpression: validateExpression,
            prepare: { root in
                var applier = OverrideApplier()
                var node = root
                for override in overrides { node = applier.apply(override, to: node) }
                return (node, applier.problems)
            },
            build: { checked, problems in
                guard case .object(let object) = checked.value else { return nil }
                var builder = PolicyBuilder(root: object)
                builder.sharedSignalsFrom = sharedSignalsFrom
                let policy = PoolPolicy.keys.build(object, &builder)
                problems += builder.problems
                return policy
            }
        )
    }
}
