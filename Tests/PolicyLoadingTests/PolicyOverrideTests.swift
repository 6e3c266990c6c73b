import Policy
import TestSupport
import Testing

@testable import PolicyLoading

@Suite struct PolicyOverrideTests {
    private let yaml = """
        pool: web
        backends: { static: ["127.0.0.1:9001"] }
        signals:
          cpu: avg_over_time(backend_utilization[30s])
        scaling:
          max: 10
          target: { signal: cpu, value: 0.6 }
        """

    private func load(_ overrides: [PolicyOverride]) throws(PolicyLoadError) -> PoolPolicy {
        try PolicyLoader().load(yaml: yaml, path: "p.yaml", overrides: overrides)
    }

    private func diagnostics(_ overrides: [PolicyOverride]) -> [String] {
        do {
            _ = try load(overrides)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func overrideReplacesAnExistingValue() throws {
        let policy = try load([PolicyOverride(keyPath: "scaling.target.value", value: "0.45")])
        #expect(policy.scaling?.targets.first?.value == 0.45)
    }

    @Test func overrideCreatesMissingSections() throws {
        let policy = try load([
            PolicyOverride(keyPath: "scaling.down.stabilization", value: "1m"),
            PolicyOverride(keyPath: "weights.strategy", value: "headroom"),
            PolicyOverride(keyPath: "weights.signal", value: "cpu"),
            PolicyOverride(keyPath: "weights.target", value: "0.7"),
            PolicyOverride(keyPath: "signals.p99", value: "'histogram_quantile(0.99, rate(x[1m]))'"),
        ])
        #expect(policy.scaling?.down.stabilization == .minutes(1))
        #expect(policy.scaling?.down.policies == ScalingBehavior.hpaScaleDown.policies)
        #expect(policy.weights?.strategy == .headroom)
        #expect(policy.signals.map(\.name) == ["cpu", "p99"])
    }

    @Test func invalidOverrideValueIsReportedWhereTheValueWas() {
        #expect(
            diagnostics([PolicyOverride(keyPath: "scaling.target.value", value: "-1"), PolicyOverride(keyPath: "scaling.min", value: "20")]) == [
                "p.yaml:6:8: scaling.max (10) must not be less than scaling.min (20)",
                "p.yaml:7:33: scaling.target.value must be greater than 0, not -1",
            ]
        )
    }

    @Test func unknownKeyPathsAreRejectedWithASuggestion() {
        #expect(
            diagnostics([
                PolicyOverride(keyPath: "scaling.target.valu", value: "1"),
                PolicyOverride(keyPath: "scaling.up.policies.period", value: "1s"),
                PolicyOverride(keyPath: "signals.9bad", value: "up"),
                PolicyOverride(keyPath: "scaling.max", value: "[1,"),
            ]) == [
                #"p.yaml:1:1: override "scaling.target.valu": unknown key "valu" in scaling.target; did you mean "value"?"#,
                #"p.yaml:1:1: override "scaling.up.policies.period": scaling.up.policies has no keys below it; lists and values are replaced as a whole"#,
                #"p.yaml:1:1: override "signals.9bad": signals: "9bad" is not a valid signal name; use letters, digits and '_', not starting with a digit"#,
                #"p.yaml:1:1: override "scaling.max": the value "[1," is not valid YAML"#,
            ]
        )
    }
}
