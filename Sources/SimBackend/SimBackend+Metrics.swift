import Foundation
import Synchronization

extension SimBackend {
    /// The backend's `/metrics` in the Prometheus text format, named as client libraries name
    /// them: `http_requests_total{code}`, the `http_request_duration_seconds` histogram (queueing
    /// included, as a client sees it), `http_requests_in_flight` (waiting and served),
    /// `process_cpu_seconds_total` (the simulated work: service seconds summed over workers),
    /// `backend_utilization` (the last second's arrivals over capacity: 0..1, above 1 when
    /// overloaded) and the configuration as `backend_capacity_rps` and `backend_workers`.
    package func metricsText() -> String {
        let now = slot(at: .now)
        let snapshot = state.withLock { state -> State in
            state.advance(to: now)
            return state
        }
        let arrivalsLastSecond = snapshot.arrivalSlots.reduce(0, +)
        var text = """
            # HELP http_requests_total Requests answered, by status code.
            # TYPE http_requests_total counter

            """
        for code in snapshot.responses.keys.sorted() {
            text += "http_requests_total{code=\"\(code)\"} \(snapshot.responses[code] ?? 0)\n"
        }
        text += """
            # HELP http_request_duration_seconds Time from arrival to response, queueing included.
            # TYPE http_request_duration_seconds histogram

            """
        var cumulative: UInt64 = 0
        for (bound, count) in zip(Self.durationBuckets, snapshot.bucketCounts) {
            cumulative += count
            text += "http_request_duration_seconds_bucket{le=\"\(Self.format(bound))\"} \(cumulative)\n"
        }
        text += """
            http_request_duration_seconds_bucket{le="+Inf"} \(snapshot.durationCount)
            http_request_duration_seconds_sum \(Self.format(snapshot.durationSum))
            http_request_duration_seconds_count \(snapshot.durationCount)
            # HELP http_requests_in_flight Requests waiting for a worker or being served.
            # TYPE http_requests_in_flight gauge
            http_requests_in_flight \(snapshot.busy + snapshot.waiting)
            # HELP process_cpu_seconds_total Simulated work: service seconds summed over workers.
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total \(Self.format(snapshot.busySeconds))
            # HELP backend_utilization The last second's arrivals over capacity (above 1 when overloaded).
            # TYPE backend_utilization gauge
            backend_utilization \(Self.format(Double(arrivalsLastSecond) / snapshot.config.capacity))
            # HELP backend_capacity_rps Requests per second the backend serves when saturated.
            # TYPE backend_capacity_rps gauge
            backend_capacity_rps \(Self.format(snapshot.config.capacity))
            # HELP backend_workers Requests served at once.
            # TYPE backend_workers gauge
            backend_workers \(snapshot.config.workers)

            """
        return text
    }

    /// The configuration as `POST /admin/config` answers it.
    package func configJSON() -> String {
        let config = self.config
        return "{\"capacity\":\(Self.format(config.capacity)),\"latency_ms\":\(Self.format(config.meanServiceSeconds * 1000)),"
            + "\"fail_rate\":\(Self.format(config.failRate)),\"workers\":\(config.workers),\"max_queue\":\(config.maxQueue)}\n"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
