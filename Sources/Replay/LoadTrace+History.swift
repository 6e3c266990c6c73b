package import Policy
package import Query
import Store

extension LoadTrace {
    /// The pool's offered load from recorded history: the policy's `replay.load` PromQL as one
    /// range query per page of at most 11,000 steps (Prometheus' per-series limit) over
    /// [`from`, `to`], one point per step, over Ballast's own store.
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
        var pages: [MatrixSeries] = []
        for page in QueryEngine.pages(from: from, to: to, step: stepMilliseconds) {
            do {
                pages += try engine.range(expr, start: page.start, end: page.end, step: stepMilliseconds)
            } catch {
                throw FileDiagnostic(path: "replay.load", line: 1, column: 1, message: "\(error)")
            }
        }
        return try fromHistory(pages, query: query, within: from...to)
    }

    /// The load from a range query's answer, wherever it ran (the store, a remote Prometheus),
    /// its pages in time order: the expression must give one series (sum it); a step without a
    /// value is a gap, held over like any step between points.
    /// Points outside `range` (ms) are left out and the rest taken in time order, whatever a
    /// server that is not quite Prometheus sent.
    package static func fromHistory(_ pages: [MatrixSeries], query: String, within range: ClosedRange<Int64>) throws(FileDiagnostic) -> LoadTrace {
        let series = Set(pages.map(\.labels))
        guard series.count <= 1 else {
            throw FileDiagnostic(
                path: "replay.load",
                line: 1,
                column: 1,
                message: "\(query) gives \(series.count) series; the pool's load must be one, e.g. sum(rate(...))"
            )
        }
        var times: [Double] = []
        var values: [Double] = []
        let samples = pages.flatMap(\.samples).filter { range.contains($0.timestamp) }.sorted { $0.timestamp < $1.timestamp }
        for sample in samples
        where !sample.isStale && sample.value.isFinite && sample.value >= 0 && sample.timestamp != times.last.map({ Int64($0 * 1000) }) {
            times.append(Double(sample.timestamp) / 1000)
            values.append(sample.value)
        }
        guard !times.isEmpty else {
            let reason = samples.isEmpty ? "has no values between the two times" : "has no finite value of at least 0 between the two times"
            throw FileDiagnostic(path: "replay.load", line: 1, column: 1, message: "\(query) \(reason)")
        }
        return LoadTrace(times: times, values: values)
    }
}
