package import Policy
package import Query
import Store

extension LoadTrace {
    /// The pool's offered load from recorded history: the policy's `replay.load` PromQL as one
    /// range query per page of at most 11,000 steps (Prometheus' per-series limit) over
    /// [`from`, `to`], one point per step. The expression must give one series (sum it); a step
    /// without a value is a gap, held over like any step between points.
    package static func fromStore(
        _ engine: QueryEngine,
        query: String,
        from: Int64,
        to: Int64,
        stepMilliseconds: Int64
    ) throws(FileDiagnostic) -> LoadTrace {
        let expr: Expr
        do {
            expr = try PromQL.parse(query)
        } catch {
            throw FileDiagnostic(path: "replay.load", line: 1, column: 1, message: "\(error)")
        }
        var times: [Double] = []
        var values: [Double] = []
        var start = from
        while start <= to {
            let end = min(to, start + (QueryEngine.maximumPointsPerSeries - 1) * stepMilliseconds)
            let series: [MatrixSeries]
            do {
                series = try engine.range(expr, start: start, end: end, step: stepMilliseconds)
            } catch {
                throw FileDiagnostic(path: "replay.load", line: 1, column: 1, message: "\(error)")
            }
            guard series.count <= 1 else {
                throw FileDiagnostic(
                    path: "replay.load",
                    line: 1,
                    column: 1,
                    message: "\(query) gives \(series.count) series; the pool's load must be one, e.g. sum(rate(...))"
                )
            }
            for sample in series.first?.samples ?? [] where !sample.isStale && sample.value.isFinite && sample.value >= 0 {
                times.append(Double(sample.timestamp) / 1000)
                values.append(sample.value)
            }
            start = end + stepMilliseconds
        }
        guard !times.isEmpty else {
            throw FileDiagnostic(path: "replay.load", line: 1, column: 1, message: "\(query) has no values between the two times")
        }
        return LoadTrace(times: times, values: values)
    }
}
