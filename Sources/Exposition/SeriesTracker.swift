/// The strict checks that span several lines of a histogram or OpenMetrics family: buckets of a
/// text-format histogram series sorted by `le` and ending with `le="+Inf"`, and (OpenMetrics) every
/// series' points grouped together with increasing timestamps, the current histogram point
/// complete. Series are identified by a hash of their labels (without `le`, `quantile` or a
/// stateset's state), so the memory held is per series, never per sample.
struct SeriesTracker {
    struct Histogram {
        var family: Int
        var lastBound: Double
        var hasInfinity: Bool
        var firstLine: Int
    }

    private var histogramIndex: [UInt64: Int] = [:]
    private var histograms: [Histogram] = []
    private var lastKey: UInt64 = 0
    private var lastIndex = -1

    private var currentSeries: UInt64?
    private var finishedSeries: Set<UInt64> = []
    /// The timestamp of the current series' current point (OpenMetrics), nil when it has none.
    var pointTimestamp: Int64?
    /// The histogram point being read (OpenMetrics histograms and gaugehistograms).
    var point = HistogramPoint()

    /// Records a sample of a text-format histogram series; `bound` is its `le` when it is a bucket.
    /// Returns the previous bound when this bucket comes after a larger one other than `+Inf`.
    mutating func recordHistogram(key: UInt64, family: Int, bound: Double?, line: Int) -> Double? {
        let index: Int
        if key == lastKey && lastIndex >= 0 {
            index = lastIndex
        } else if let found = histogramIndex[key] {
            index = found
        } else {
            index = histograms.count
            histograms.append(Histogram(family: family, lastBound: -.infinity, hasInfinity: false, firstLine: line))
            histogramIndex[key] = index
        }
        lastKey = key
        lastIndex = index
        guard let bound else { return nil }
        let previous = histograms[index].lastBound
        // After its +Inf bucket a series may start over: the text format allows repeated series.
        if bound < previous && previous != .infinity { return previous }
        histograms[index].lastBound = bound
        if bound == .infinity { histograms[index].hasInfinity = true }
        return nil
    }

    /// The first histogram series recorded without a `+Inf` bucket.
    func histogramMissingInfinity() -> Histogram? {
        histograms.first { !$0.hasInfinity }
    }

    /// Where an OpenMetrics sample stands relative to the series before it.
    enum Step {
        /// The same series as the previous sample.
        case same
        /// A series not seen before in this family.
        case next
        /// A series that appeared earlier with another in between (interleaved metric points).
        case interleaved
    }

    /// Records the series of an OpenMetrics sample.
    mutating func enterSeries(_ signature: UInt64) -> Step {
        if currentSeries == signature { return .same }
        if finishedSeries.contains(signature) { return .interleaved }
        if let currentSeries { finishedSeries.insert(currentSeries) }
        currentSeries = signature
        return .next
    }

    /// Forgets everything: a new OpenMetrics family starts.
    mutating func reset() {
        if !histograms.isEmpty {
            histograms.removeAll(keepingCapacity: true)
            histogramIndex.removeAll(keepingCapacity: true)
        }
        lastIndex = -1
        currentSeries = nil
        pointTimestamp = nil
        point.isOpen = false
        if !finishedSeries.isEmpty { finishedSeries.removeAll(keepingCapacity: true) }
    }
}
