import Policy
package import Prometheus

/// The control loop's series on Ballast's `/metrics`.
package struct ControlMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    let evaluationFailures: Counter
    let applyFailures: Counter
    let hookFailures: Counter
    let failover: Histogram<Double>
    let decisionLatency: Histogram<Double>
    let stateShareFailures: Counter

    package init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        evaluationFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "evaluation_failures",
                unitName: "total",
                helpText: "Evaluations that could not be recorded (nothing was applied)."
            ),
            labels: []
        )
        applyFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "apply_failures",
                unitName: "total",
                helpText: "Routings an applier could not carry out (retried at the next evaluation)."
            ),
            labels: []
        )
        hookFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "hook_failures",
                unitName: "total",
                helpText: "Scale and promote hooks that failed, timed out or answered something invalid."
            ),
            labels: []
        )
        failover = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "failover",
                unitName: "seconds",
                helpText: "From the first failed scrape of a backend to the applier confirming its ejection or the failover it caused."
            ),
            buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30]
        )
        stateShareFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "ha_state_share_failures",
                unitName: "total",
                helpText: "Engine states the HA leader could not share in PostgreSQL (unreachable, or the lease moved on)."
            ),
            labels: []
        )
        decisionLatency = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "decision_latency",
                unitName: "seconds",
                helpText: "From a stored scrape that asks for an evaluation (a failure, a recovery) to its decisions and state journaled."
            ),
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5]
        )
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "ballast", metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// How long reading one evaluation's signals took, by where they came from (`local` store or
    /// a `remote` Prometheus-compatible server): the cost of `signals_from`, measured.
    func signalsRead(pool: String, source: String, seconds: Double) {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "signal_read",
                unitName: "seconds",
                helpText: "Reading one evaluation's signals (every query of the pool), by source: local or remote."
            ),
            labels: [("pool", pool), ("source", source)],
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]
        ).record(seconds)
    }

    /// Everything one evaluation tells about its pool.
    func recorded(pool: String, outcome: EngineOutcome, readout: SignalReadout, applied: [BackendRouting]?, seconds: Double) {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "evaluation_duration",
                unitName: "seconds",
                helpText: "One pool evaluation: signals, engine, journal, apply."
            ),
            labels: [("pool", pool)],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
        ).record(seconds)
        for decision in outcome.decisions {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "ballast",
                    metricName: "decisions",
                    unitName: "total",
                    helpText: "Decisions by pool and kind."
                ),
                labels: [("pool", pool), ("kind", decision.action.kind)]
            ).increment()
        }
        let appliedWeights = Dictionary((applied ?? []).map { ($0.address, $0.weight) }, uniquingKeysWith: { first, _ in first })
        for routing in outcome.routing {
            let labels = [("pool", pool), ("backend", routing.address.description)]
            gauge("backend_weight", "The weight the engine wants for a backend.", labels).set(to: Double(routing.weight))
            gauge("backend_applied_weight", "The weight the proxy carries for a backend (-1 before the first apply).", labels)
                .set(to: Double(appliedWeights[routing.address] ?? -1))
            let backend = outcome.state.backend(routing.address)
            gauge("backend_healthy", "Whether a backend passes its checks (after rise/fall).", labels).set(
                to: backend?.health.healthy == false ? 0 : 1
            )
            gauge("backend_ejected", "Whether a backend is ejected.", labels).set(to: backend?.health.ejectedUntil == nil ? 0 : 1)
        }
        if let scaling = outcome.scaling {
            gauge("pool_replicas", "Replicas the pool has.", [("pool", pool)]).set(to: Double(scaling.current))
            gauge("pool_desired_replicas", "Replicas the engine wants.", [("pool", pool)]).set(to: Double(scaling.desired))
        }
        gauge("pool_serving_standby", "1 while the standby tier serves.", [("pool", pool)]).set(to: outcome.servingTier == .standby ? 1 : 0)
        gauge("pool_panic", "1 while the serving tier is in panic mode.", [("pool", pool)]).set(to: outcome.panic ? 1 : 0)
        gauge("pool_signal_errors", "Signals without a value at the last evaluation.", [("pool", pool)]).set(to: Double(readout.failures.count))
    }
}
