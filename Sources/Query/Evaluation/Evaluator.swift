import Durations
import Store

/// One evaluation over preloaded data: every selector's series are read once for the whole
/// time span, so evaluating each step is in-memory binary searches and arithmetic.
struct Evaluator {
    /// When the query must stop (`QueryEngine.timeout`).
    let deadline: ContinuousClock.Instant?
    let cancellation: QueryCancellation?
    let lookbackDelta: Int64
    /// The query's first and last evaluation times, which `@ start()` and `@ end()` name.
    let queryStart: Int64
    let queryEnd: Int64
    /// The step of subqueries written without one (`x[5m:]`).
    let subqueryStep: Int64
    /// Inner results of subqueries by subquery and time: consecutive steps of a range query
    /// share most of their subquery windows, so each inner point is evaluated once.
    let subqueryCache = SubqueryCache()
    /// One series as read, with its labels minus the metric name computed once rather than at
    /// every step a function drops the name.
    struct LoadedSeries {
        var labels: Labels
        var unnamed: Labels
        var samples: [Sample]
    }

    /// Each selector's series, sorted by labels as Prometheus' storage returns them.
    private var data: [VectorSelector: [LoadedSeries]] = [:]
    /// The selectors with series that differ only by metric name: the only ones whose results
    /// can collide once a function drops the names (checked once here, not at every step).
    private(set) var selectorsWithCollidingNames: Set<VectorSelector> = []

    init(
        expr: Expr,
        reader: any SeriesReader,
        start: Int64,
        end: Int64,
        lookbackDelta: Int64,
        subqueryStep: Int64,
        sampleLimit: Int,
        deadline: ContinuousClock.Instant? = nil,
        cancellation: QueryCancellation? = nil
    ) throws {
        self.deadline = deadline
        self.cancellation = cancellation
        self.lookbackDelta = min(max(lookbackDelta, 0), PrometheusDuration.maximum)
        self.subqueryStep = subqueryStep
        (queryStart, queryEnd) = (start, end)
        var spans: [VectorSelector: ClosedRange<Int64>] = [:]
        collectSpans(expr, evaluatedOver: start...end, into: &spans)
        var loaded = 0
        for (selector, span) in spans {
            try checkDeadline()
            let series = try reader.series(matching: selector.matchers, from: span.lowerBound, through: span.upperBound)
            loaded += series.reduce(0) { $0 + $1.samples.count }
            // Prometheus' default `--query.max-samples`: a runaway query fails instead of exhausting memory.
            guard loaded <= sampleLimit else {
                throw EvaluationError(
                    .execution,
                    "query processing would load too many samples into memory in query execution; narrow the selectors or the time range"
                )
            }
            let prepared = series.sorted { Labels.precedes($0.labels, $1.labels) }
                .map { LoadedSeries(labels: $0.labels, unnamed: $0.labels.droppingMetricName, samples: $0.samples) }
            data[selector] = prepared
            if Self.namesVary(series.lazy.map(\.labels)) && Set(prepared.map(\.unnamed)).count < prepared.count {
                selectorsWithCollidingNames.insert(selector)
            }
        }
    }

    /// The span of sample times each selector in `expr` reads when `expr` is evaluated at times
    /// in `times`; a subquery evaluates its inner expression over its own (earlier) span.
    private func collectSpans(_ expr: Expr, evaluatedOver times: ClosedRange<Int64>, into spans: inout [VectorSelector: ClosedRange<Int64>]) {
        func add(_ selector: VectorSelector, window: Int64) {
            let lower = reference(times.lowerBound, at: selector.at, offset: selector.offset) - window
            let span = lower...reference(times.upperBound, at: selector.at, offset: selector.offset)
            let known = spans[selector] ?? span
            spans[selector] = min(known.lowerBound, span.lowerBound)...max(known.upperBound, span.upperBound)
        }
        func recurse(_ inner: Expr) { collectSpans(inner, evaluatedOver: times, into: &spans) }
        switch expr {
        case .number, .string: return
        case .vectorSelector(let selector): add(selector, window: lookbackDelta)
        case .matrixSelector(let selector, let range): add(selector, window: range)
        case .subquery(let subquery):
            let first = reference(times.lowerBound, at: subquery.at, offset: subquery.offset) - subquery.range
            let last = reference(times.upperBound, at: subquery.at, offset: subquery.offset)
            collectSpans(subquery.expr, evaluatedOver: first...last, into: &spans)
        case .unaryMinus(let inner), .paren(let inner): recurse(inner)
        case .binary(let binary):
            recurse(binary.lhs)
            recurse(binary.rhs)
        case .call(let call):
            for arg in call.args { recurse(arg) }
        case .aggregate(let aggregate):
            if let parameter = aggregate.parameter { recurse(parameter) }
            recurse(aggregate.expr)
        }
    }

    /// The time a selector or subquery looks back from at step `time`: its `@` time, if any,
    /// else the step's, minus its offset.
    func reference(_ time: Int64, at modifier: AtModifier?, offset: Int64) -> Int64 {
        switch modifier {
        case nil: return time - offset
        case .time(let fixed): return fixed - offset
        case .start: return queryStart - offset
        case .end: return queryEnd - offset
        }
    }

    /// Stops a query that ran past its deadline or was cancelled.
    func checkDeadline() throws(EvaluationError) {
        if let deadline, ContinuousClock.now > deadline { throw EvaluationError.timedOut }
        if cancellation?.isCancelled == true { throw EvaluationError.canceled }
    }

    /// The value of `expr` at `time`, with vector elements stamped at `time` as Prometheus returns them.
    func evaluateTopLevel(_ expr: Expr, at time: Int64) throws -> Value {
        switch try evaluate(expr, at: time) {
        case .vector(let vector):
            return .vector(vector.map { VectorSample(labels: $0.labels, value: $0.value, timestamp: time) })
        case let other:
            return other
        }
    }

    func evaluate(_ expr: Expr, at time: Int64) throws -> Value {
        try checkDeadline()
        switch expr {
        case .number(let value): return .scalar(value)
        case .string(let value): return .string(value)
        case .paren(let inner): return try evaluate(inner, at: time)
        case .vectorSelector(let selector): return .vector(instantSamples(selector, at: time))
        case .matrixSelector(let selector, let range):
            var series: [MatrixSeries] = []
            forEachWindow(selector, range: range, at: time) { series.append(MatrixSeries(labels: $0.labels, samples: Array($1))) }
            return .matrix(series)
        case .subquery(let subquery):
            return .matrix(try evaluateSubquery(subquery, at: time).map { MatrixSeries(labels: $0.labels, samples: $0.samples) })
        case .unaryMinus(let inner):
            switch try evaluate(inner, at: time) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let vector):
                let negated = vector.map { VectorSample(labels: $0.labels.droppingMetricName, value: -$0.value, timestamp: time) }
                try checkUniqueAfterDroppingNames(negated, input: vector)
                return .vector(negated)
            case let other: return other
            }
        case .binary(let binary): return try evaluateBinary(binary, at: time)
        case .call(let call): return try evaluateCall(call, at: time)
        case .aggregate(let aggregate): return .vector(try evaluateAggregate(aggregate, at: time))
        }
    }

    func scalar(_ expr: Expr, at time: Int64) throws -> Double {
        if case .scalar(let value) = try evaluate(expr, at: time) { return value }
        return .nan
    }

    func vector(_ expr: Expr, at time: Int64) throws -> [VectorSample] {
        if case .vector(let vector) = try evaluate(expr, at: time) { return vector }
        return []
    }

    /// The latest sample of each series at or before `time - offset`, no older than the
    /// lookback delta, unless that sample is a stale marker (the series has ended).
    func instantSamples(_ selector: VectorSelector, at time: Int64) -> [VectorSample] {
        let reference = reference(time, at: selector.at, offset: selector.offset)
        var out: [VectorSample] = []
        for series in data[selector] ?? [] {
            let end = series.samples.firstIndex(after: reference)
            guard end > 0 else { continue }
            let sample = series.samples[end - 1]
            if sample.timestamp < reference - lookbackDelta || sample.isStale { continue }
            out.append(VectorSample(labels: series.labels, value: sample.value, timestamp: sample.timestamp))
        }
        return out
    }

    /// Calls `body` with each series' samples in `[time - offset - range, time - offset]` (both
    /// ends inclusive, as in Prometheus 2.x), stale markers left out; series without samples
    /// are skipped. A callback rather than an array: this runs for every series at every step.
    func forEachWindow(
        _ selector: VectorSelector,
        range: Int64,
        at time: Int64,
        _ body: (LoadedSeries, ArraySlice<Sample>) throws -> Void
    )
        rethrows
    {
        let reference = reference(time, at: selector.at, offset: selector.offset)
        guard let loaded = data[selector] else { return }
        for series in loaded {
            let lower = series.samples.firstIndex(notBefore: reference - range)
            let upper = series.samples.firstIndex(after: reference)
            guard lower < upper else { continue }
            var window = series.samples[lower..<upper]
            if window.contains(where: \.isStale) {
                window = ArraySlice(window.filter { !$0.isStale })
                if window.isEmpty { continue }
            }
            try body(series, window)
        }
    }

    /// `checkUniqueLabelSets` for an output whose labels are its input's minus the metric
    /// name. Input vectors never repeat a label set, so dropping the names can only make two
    /// elements collide when the input held more than one name; that is checked first, as
    /// hashing every label set at every step would cost more than the rest of the query.
    func checkUniqueAfterDroppingNames(_ output: [VectorSample], input: [VectorSample]) throws {
        guard Self.namesVary(input.lazy.map(\.labels)) else { return }
        try checkUniqueLabelSets(output)
    }

    /// Whether `labels` hold more than one distinct metric name.
    static func namesVary(_ labels: some Sequence<Labels>) -> Bool {
        var first: String?
        for item in labels {
            guard let name = item.metricName else { continue }
            if let first, first != name { return true }
            first = name
        }
        return false
    }

    /// Prometheus refuses a vector whose elements share a label set (for example after a
    /// function dropped the metric names that told them apart).
    func checkUniqueLabelSets(_ vector: [VectorSample]) throws {
        var seen = Set<Labels>()
        for sample in vector where !seen.insert(sample.labels).inserted {
            throw EvaluationError(.execution, "vector cannot contain metrics with the same labelset")
        }
    }
}

extension [Sample] {
    /// The index of the first sample later than `timestamp` (binary search; samples are in time order).
    func firstIndex(after timestamp: Int64) -> Int {
        partitionPoint { $0.timestamp > timestamp }
    }

    /// The index of the first sample at or after `timestamp`.
    func firstIndex(notBefore timestamp: Int64) -> Int {
        partitionPoint { $0.timestamp >= timestamp }
    }

    /// The first index whose sample satisfies `isAfter`, which must be false then true along the array.
    private func partitionPoint(_ isAfter: (Sample) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
