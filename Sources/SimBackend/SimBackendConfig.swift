/// How a simulated backend behaves: its capacity, how long a request takes, how often it fails.
/// Changed live through `POST /admin/config` so demos and tests can make a backend slow or
/// failing while traffic flows.
package struct SimBackendConfig: Sendable, Hashable {
    /// Requests served at once: capacity × mean service time, fixed when a backend starts or its
    /// capacity is set. A slower backend keeps its workers, so its capacity falls, as a real
    /// server's does when a dependency slows down.
    package var workers: Int
    /// The mean service time of one request, in seconds.
    package var meanServiceSeconds: Double
    /// The share of requests answered 500 (0..1).
    package var failRate: Double
    /// Requests waiting for a worker beyond this are refused at once with 503.
    package var maxQueue: Int

    /// Requests per second the backend serves when saturated.
    package var capacity: Double { Double(workers) / meanServiceSeconds }

    /// A backend serving `capacity` requests per second with a mean latency of `latencyMs`: the
    /// worker count is rounded to a whole number and the service time adjusted so the capacity
    /// is exact.
    package init(capacity: Double, latencyMs: Double, failRate: Double = 0, maxQueue: Int = 1000) throws(SimBackendConfigError) {
        try Self.check(capacity: capacity, latencyMs: latencyMs, failRate: failRate)
        workers = max(1, Int((capacity * latencyMs / 1000).rounded()))
        meanServiceSeconds = Double(workers) / capacity
        self.failRate = failRate
        self.maxQueue = maxQueue
        try checkDerived()
    }

    /// The configuration with the given changes: a new capacity re-sizes the workers for the
    /// (new or current) latency; a new latency alone keeps the workers.
    package func updated(capacity: Double?, latencyMs: Double?, failRate: Double?) throws(SimBackendConfigError) -> SimBackendConfig {
        let latency = latencyMs ?? meanServiceSeconds * 1000
        try Self.check(capacity: capacity ?? self.capacity, latencyMs: latency, failRate: failRate ?? self.failRate)
        var next = self
        if let capacity {
            next = try SimBackendConfig(capacity: capacity, latencyMs: latency, failRate: failRate ?? self.failRate, maxQueue: maxQueue)
        } else {
            next.meanServiceSeconds = latency / 1000
            next.failRate = failRate ?? self.failRate
            try next.checkDerived()
        }
        return next
    }

    /// The worker count rounds, so the service time and capacity that follow are checked too: a
    /// capacity of 0.001 with 20 ms would otherwise mean a 1,000 s service time.
    private func checkDerived() throws(SimBackendConfigError) {
        guard workers <= Self.maximumWorkers else { throw .workers(workers) }
        // Rounded to a nanosecond, so 1 worker at 10,000 rps is the 0.1 ms it was asked for.
        let latencyMs = (meanServiceSeconds * 1e9).rounded() / 1e6
        try Self.check(capacity: capacity, latencyMs: latencyMs, failRate: failRate)
    }

    /// Requests served at once, at most: capacity × latency beyond this is not a backend a demo
    /// or a benchmark needs.
    package static let maximumWorkers = 100_000

    private static func check(capacity: Double, latencyMs: Double, failRate: Double) throws(SimBackendConfigError) {
        guard capacity.isFinite, capacity > 0, capacity <= 1_000_000 else { throw .capacity(capacity) }
        guard latencyMs.isFinite, latencyMs >= 0.1, latencyMs <= 600_000 else { throw .latency(latencyMs) }
        guard failRate.isFinite, (0...1).contains(failRate) else { throw .failRate(failRate) }
    }
}

/// A configuration value out of range, with the range that is accepted.
package enum SimBackendConfigError: Error, CustomStringConvertible, Equatable {
    case capacity(Double)
    case latency(Double)
    case failRate(Double)
    case workers(Int)

    package var description: String {
        switch self {
        case .workers(let value):
            "capacity × latency gives \(value) requests served at once, more than \(SimBackendConfig.maximumWorkers): lower the capacity or the latency"
        case .capacity(let value): "capacity \(value) is out of range: give requests per second above 0, at most 1000000"
        case .latency(let value): "latency \(value) ms is out of range: give 0.1 to 600000 milliseconds"
        case .failRate(let value): "fail rate \(value) is out of range: give a share from 0 to 1, such as 0.05"
        }
    }
}
