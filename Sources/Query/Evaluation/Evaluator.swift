import Store

/// One evaluation over preloaded data: every selector's series are read once for the whole
/// time span, so evaluating each step is in-memory binary searches and arithmetic.
struct Evaluator {
    let lookbackDelta: Int64
    /// One series as read, with its labels minus the metric name computed once rather than at
    /// every step a function drops the name.
    struct LoadedSeries {
        var labels: Labels
        var unnamed: Labels
        var samples: [Sample]
    }

    /// Each selector's series, sorted by labels as Prometheus' storage returns them.
    private var data: [VectorSelector: [LoadedSeries]] = [:]

    init(expr: Expr, reader: any SeriesReader, start: Int64, end: Int64, lookbackDelta: Int64) throws {
        self.lookbackDelta = min(max(lookbackDelta, 0), PromQLDuration.maximum)
        var windows: [VectorSelector: Int64] = [:]
        Self.collectSelectors(expr, lookbackDelta: lookbackDelta, into: &windows)
        for (selector, window) in windows {
            let series = try reader.series(matching: selector.matchers, from: start - selector.offset - window, through: end - selector.offset)
            data[selector] = series.sorted { Labels.precedes($0.labels, $1.labels) }
                .map { LoadedSeries(labels: $0.labels, unnamed: $0.labels.droppingMetricName, samples: $0.samples) }
        }
    }

    /// How far back from each step every selector in `expr` reads.
    private static func collectSelectors(_ expr: Expr, lookbackDelta: Int64, into windows: inout [VectorSelector: Int64]) {
        switch expr {
        case .number, .string: return
        case .vectorSelector(let selector): windows[selector] = max(windows[selector] ?? 0, lookbackDelta)
        case .matrixSelector(let selector, let range): windows[selector] = max(windows[selector] ?? 0, range)
        case .unaryMinus(let inner), .paren(let inner): collectSelectors(inner, lookbackDelta: lookbackDelta, into: &windows)
        case .binary(let binary):
            collectSelectors(binary.lhs, lookbackDelta: lookbackDelta, into: &windows)
            collectSelectors(binary.rhs, lookbackDelta: lookbackDelta, into: &windows)
        case .call(let call):
            for arg in call.args { collectSelectors(arg, lookbackDelta: lookbackDelta, into: &windows) }
        case .aggregate(let aggregate):
            if let parameter = aggregate.parameter { collectSelectors(parameter, lookbackDelta: lookbackDelta, into: &windows) }
            collectSelectors(aggregate.expr, lookbackDelta: lookbackDelta, into: &windows)
        }
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
        switch expr {
        case .number(let value): return .scalar(value)
        case .string(let value): return .string(value)
        case .paren(let inner): return try evaluate(inner, at: time)
        case .vectorSelector(let selector): return .vector(instantSamples(selector, at: time))
        case .matrixSelector(let selector, let range):
            var series: [MatrixSeries] = []
            forEachWindow(selector, range: range, at: time) { series.append(MatrixSeries(labels: $0.labels, samples: Array($1))) }
            return .matrix(series)
        case .unaryMinus(let inner):
            switch try evaluate(inner, at: time) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let vector):
                return .vector(vector.map { VectorSample(labels: $0.labels.droppingMetricName, value: -$0.value, timestamp: time) })
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
        let reference = time - selector.offset
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
        let reference = time - selector.offset
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
