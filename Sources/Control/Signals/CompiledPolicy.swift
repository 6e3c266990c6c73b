package import Policy
package import Query
import Store

/// A policy ready to evaluate: its signals parsed once (at load, not every evaluation) and
/// scoped to the pool's series, `job="<pool>"` added to every selector that does not name a `job`
/// of its own, so a signal reads its own pool's backends and nothing else.
package struct CompiledPolicy: Sendable {
    package var policy: PoolPolicy
    /// The policy file, for status and relative paths.
    package var path: String
    package var signals: [(name: String, expr: Expr)]
    /// The signals as written, before scoping: a remote server may label the pool's backends
    /// with another `job` (`signals_from.job`).
    package var unscopedSignals: [(name: String, expr: Expr)]
    /// Signals the engine reads per backend (weights, ejection): they must give one row per
    /// backend, and a scalar is an error for them.
    package var perBackendSignals: Set<String>

    /// Parses and scopes every signal; fails with the first signal that does not parse (the
    /// loader already checked them, so this only fails on a policy built in code).
    package init(policy: PoolPolicy, path: String) throws(ParseError) {
        self.policy = policy
        self.path = path
        var unscoped: [(String, Expr)] = []
        for definition in policy.signals {
            unscoped.append((definition.name, try PromQL.parse(definition.expression)))
        }
        unscopedSignals = unscoped
        signals = unscoped.map { ($0.0, Self.scoped($0.1, pool: policy.pool)) }
        var perBackend = Set<String>()
        if let signal = policy.weights?.signal { perBackend.insert(signal) }
        if let condition = policy.health.ejectWhen { perBackend.insert(condition.signal) }
        perBackendSignals = perBackend
    }

    package var pool: String { policy.pool }

    /// The standby tier's backends.
    package var standby: [BackendAddress] { policy.failover?.standby ?? [] }

    /// `expr` with `job="<pool>"` added to each selector without a `job` matcher.
    package static func scoped(_ expr: Expr, pool: String) -> Expr {
        expr.mapSelectors { selector in
            guard !selector.matchers.contains(where: { $0.name == "job" }) else { return selector }
            var scoped = selector
            // An equality matcher on a plain string cannot fail to build.
            if let job = try? LabelMatcher("job", .equal, pool) { scoped.matchers.append(job) }
            return scoped
        }
    }
}
