/// The samples of one OpenMetrics histogram or gaugehistogram MetricPoint seen so far (one series
/// at one timestamp), so the rules that span its lines can be checked: `le` strictly increasing,
/// cumulative bucket counts, a `+Inf` bucket equal to `_count`, and `_sum` if and only if
/// `_count`. Updated in place, sample by sample.
struct HistogramPoint {
    /// What a sample breaks as soon as it is read.
    enum Problem {
        case unsorted(previous: Double)
        case repeated
        case decreasing
        case countMismatch
    }

    /// Whether a histogram point is being read.
    var isOpen = false
    /// The line of the point's first sample, where errors about the whole point are reported.
    var firstLine = 0
    var lastBound = -Double.infinity
    var hasBucket = false
    var lastBucketValue = 0.0
    var infinityBucket: Double?
    var count: Double?
    var hasSum = false

    /// Opens a new point whose first sample is on `line`.
    mutating func open(line: Int) {
        self = HistogramPoint(isOpen: true, firstLine: line)
    }

    /// Adds a sample of the point; `bound` is its `le` when it is a bucket.
    @inline(__always)
    mutating func record(_ role: SampleRole, value: Double, bound: Double) -> Problem? {
        switch role {
        case .bucket:
            if hasBucket && bound <= lastBound { return bound == lastBound ? .repeated : .unsorted(previous: lastBound) }
            if value < lastBucketValue { return .decreasing }
            hasBucket = true
            lastBound = bound
            lastBucketValue = value
            if bound == .infinity {
                infinityBucket = value
                if let count, count != value { return .countMismatch }
            }
        case .count, .gaugeCount:
            count = value
            if let infinityBucket, infinityBucket != value { return .countMismatch }
        case .sum, .gaugeSum:
            hasSum = true
        case .plain, .created, .total:
            break
        }
        return nil
    }

    /// Why the finished point breaks the spec, or nil when it is complete and consistent.
    func problem(gauge: Bool) -> String? {
        let (sum, count) = gauge ? ("_gsum", "_gcount") : ("_sum", "_count")
        if infinityBucket == nil { return "has no le=\"+Inf\" bucket; every histogram point needs one" }
        if hasSum && self.count == nil { return "has \(sum) without \(count); give both or neither" }
        if self.count != nil && !hasSum { return "has \(count) without \(sum); give both or neither" }
        return nil
    }
}
