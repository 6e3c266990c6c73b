/// How replay feeds a policy: which load-model output stands in for each signal, and the PromQL
/// expression for the pool's offered load when replaying stored history.
package struct ReplaySettings: Sendable, Hashable {
    /// Signal name to model output, in file order.
    package var signals: [ReplaySignal]
    /// PromQL for the pool's offered load in requests per second (used with `--db`).
    package var load: String?

    /// Creates replay settings.
    package init(signals: [ReplaySignal] = [], load: String? = nil) {
        self.signals = signals
        self.load = load
    }
}

/// One policy signal fed from the load model.
package struct ReplaySignal: Sendable, Hashable {
    /// The policy signal's name.
    package var signal: String
    /// The model output that feeds it.
    package var output: ReplayModelOutput

    /// Creates a mapping.
    package init(signal: String, output: ReplayModelOutput) {
        self.signal = signal
        self.output = output
    }
}

/// The quantities replay's load model produces.
package enum ReplayModelOutput: String, Sendable, Hashable, CaseIterable {
    /// Offered load over pool capacity (0..1+).
    case utilization
    /// Offered load in requests per second.
    case loadRPS = "load_rps"
    /// Offered load divided by serving replicas.
    case rpsPerReplica = "rps_per_replica"
    /// Modelled 99th-percentile latency in seconds.
    case latencyP99Seconds = "latency_p99_seconds"
}
