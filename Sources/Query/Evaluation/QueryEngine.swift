package import Store

/// Evaluates PromQL over any `SeriesReader` with Prometheus' semantics: instant queries at
/// one time, range queries at every step from start through end. Times are milliseconds.
/// Each call reads the data its selectors need once, then evaluates step by step in memory.
package struct QueryEngine {
    /// Prometheus' default: an instant selector sees the latest sample up to 5 minutes old.
    package static let defaultLookbackDelta: Int64 = 5 * 60_000
    /// Prometheus' default `--query.max-samples`.
    package static let defaultSampleLimit = 50_000_000
    /// Prometheus refuses range queries with more points per series than this.
    package static let maximumPointsPerSeries: Int64 = 11_000

    /// Times beyond ±2^61 ms (73 million years) are refused, so that adding offsets, ranges and
    /// steps can never overflow.
    package static let timeLimit: Int64 = 1 << 61

    /// Prometheus' default evaluation interval, the step of a subquery written without one.
    package static let defaultSubqueryStep: Int64 = 60_000

    package var reader: any SeriesReader
    package var lookbackDelta: Int64
    /// The step of subqueries written without one (`x[5m:]`), in milliseconds.
    package var subqueryStep: Int64
    /// The most samples one query may read: a runaway query fails instead of exhausting memory.
    package var sampleLimit: Int
    /// How long one query may run (Prometheus' `--query.timeout`), checked as it loads each
    /// selector's series and evaluates each node at each step; nil: no limit (the CLI).
    package var timeout: Duration?
    /// Stops the query when cancelled (shutdown); nil: never.
    package var cancellation: QueryCancellation?

    /// An engine reading from `reader`; durations in milliseconds.
    package init(
        reader: any SeriesReader,
        lookbackDelta: Int64 = QueryEngine.defaultLookbackDelta,
        subqueryStep: Int64 = QueryEngine.defaultSubqueryStep,
        sampleLimit: Int = QueryEngine.defaultSampleLimit,
        timeout: Duration? = nil,
        cancellation: QueryCancellation? = nil
    ) {
        self.reader = reader
        self.lookbackDelta = lookbackDelta
        self.subqueryStep = max(1, subqueryStep)
        self.sampleLimit = sampleLimit
        self.timeout = timeout
        self.cancellation = cancellation
    }

    /// When a query started now must stop.
    private var deadline: ContinuousClock.Instant? { timeout.map { ContinuousClock.now + $0 } }

    /// Evaluates `expr` at `time`; a vector keeps Prometheus' order (selectors by labels, then
    /// as operators produce them).
    package func instant(_ expr: Expr, at time: Int64) throws -> Value {
        try Self.checkRange(time)
        let evaluator = try Evaluator(
            expr: expr,
            reader: reader,
            start: time,
            end: time,
            lookbackDelta: lookbackDelta,
            subqueryStep: subqueryStep,
            sampleLimit: sampleLimit,
            deadline: deadline,
            cancellation: cancellation
        )
        return try evaluator.evaluateTopLevel(expr, at: time)
    }

    /// Parses and evaluates `query` at `time`.
    package func instant(_ query: String, at time: Int64) throws -> Value {
        try instant(try PromQL.parse(query), at: time)
    }

    /// Evaluates `expr` at `start`, `start + step`, … through `end` and returns the series that
    /// have at least one point, sorted by labels, as Prometheus' `query_range` does.
    package func range(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws -> [MatrixSeries] {
        try Self.checkRange(start)
        try Self.checkRange(end)
        guard end >= start else {
            throw EvaluationError(.badData, "end timestamp must not be before start time")
        }
        guard step > 0, step < Self.timeLimit else {
            throw EvaluationError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard (end - start) / step < Self.maximumPointsPerSeries else {
            throw EvaluationError(
                .badData,
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
            )
        }
        guard expr.type == .scalar || expr.type == .vector else {
            throw EvaluationError(.badData, "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let evaluator = try Evaluator(
            expr: expr,
            reader: reader,
            start: start,
            end: end,
            lookbackDelta: lookbackDelta,
            subqueryStep: subqueryStep,
            sampleLimit: sampleLimit,
            deadline: deadline,
            cancellation: cancellation
        )
        var builder = MatrixBuilder()
        var time = start
        while time <= end {
            // The builder stamps points with the step time itself, so no top-level re-stamping.
            switch try evaluator.evaluate(expr, at: time) {
            case .scalar(let value): builder.add(value, at: time)
            case .vector(let vector): builder.add(vector, at: time)
            case .string, .matrix: break
            }
            time += step
        }
        return builder.sorted()
    }

    /// Parses and evaluates `query` over a range.
    package func range(_ query: String, start: Int64, end: Int64, step: Int64) throws -> [MatrixSeries] {
        try range(try PromQL.parse(query), start: start, end: end, step: step)
    }

    private static func checkRange(_ time: Int64) throws {
        guard time > -timeLimit && time < timeLimit else {
            throw EvaluationError(.badData, "time \(time) ms is out of range; use a time within ±2^61 ms of 1970")
        }
    }
}
