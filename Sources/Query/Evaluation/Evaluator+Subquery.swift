import Durations
import Store

extension Evaluator {
    /// The most inner evaluations one subquery window may ask for; Prometheus would stop such a
    /// query at its sample limit, and here it must not hang the daemon.
    static let maximumSubqueryPoints: Int64 = 100_000

    /// The subquery's series in its window at `time`: the inner expression evaluated at every
    /// multiple of the step in `[time - offset - range, time - offset]`, as Prometheus aligns
    /// subquery steps to the epoch. Series are sorted by labels.
    func evaluateSubquery(_ subquery: Subquery, at time: Int64) throws -> [LoadedSeries] {
        let step = subquery.step ?? subqueryStep
        guard subquery.range / step <= Self.maximumSubqueryPoints else {
            throw EvaluationError(
                .execution,
                "subquery [\(PrometheusDuration.format(subquery.range)):\(PrometheusDuration.format(step))] would evaluate more than "
                    + "\(Self.maximumSubqueryPoints) points per window; use a larger step"
            )
        }
        let end = reference(time, at: subquery.at, offset: subquery.offset)
        let start = end - subquery.range
        var point = start / step * step
        if point < start { point += step }
        var builder = MatrixBuilder()
        while point <= end {
            builder.add(try innerVector(subquery, at: point), at: point)
            point += step
        }
        return builder.sorted().map { LoadedSeries(labels: $0.labels, unnamed: $0.labels.droppingMetricName, samples: $0.samples) }
    }

    private func innerVector(_ subquery: Subquery, at time: Int64) throws -> [VectorSample] {
        if let cached = subqueryCache.vectors[subquery.id]?[time] { return cached }
        let result = try vector(subquery.expr, at: time)
        subqueryCache.vectors[subquery.id, default: [:]][time] = result
        return result
    }

    /// Calls `body` with each series' samples in the window of a range-vector argument: a
    /// range selector or a subquery.
    func forEachWindow(of argument: Expr, at time: Int64, _ body: (LoadedSeries, ArraySlice<Sample>) throws -> Void) throws {
        switch argument {
        case .matrixSelector(let selector, let range):
            try forEachWindow(selector, range: range, at: time, body)
        case .subquery(let subquery):
            for series in try evaluateSubquery(subquery, at: time) {
                try body(series, series.samples[...])
            }
        default:
            return
        }
    }
}
