/// Prometheus' quantile estimators: over plain values (`quantile`, `quantile_over_time`) and
/// over classic histogram buckets (`histogram_quantile`, `bucketQuantile` in promql/quantile.go).
enum Quantiles {
    /// The φ-quantile of `values` with linear interpolation between closest ranks; NaN sorts first.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { ($0.isNaN && !$1.isNaN) || $0 < $1 }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// One classic bucket: its upper bound (`le`) and cumulative count.
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// The φ-quantile from cumulative buckets, interpolating linearly inside the bucket that
    /// holds the rank. Needs a `+Inf` bucket; bucket counts that decrease (from scrapes that
    /// raced an observation) are raised to keep the counts monotonic.
    static func bucketQuantile(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        buckets = coalesce(buckets)
        ensureMonotonic(&buckets)
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return .nan }
        var rank = q * observations
        // sort.Search over all but the +Inf bucket: the first bucket whose count reaches the rank.
        var index = buckets.count - 1
        for candidate in 0..<(buckets.count - 1) where buckets[candidate].count >= rank {
            index = candidate
            break
        }
        if index == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if index == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[index].upperBound
        var count = buckets[index].count
        if index > 0 {
            bucketStart = buckets[index - 1].upperBound
            count -= buckets[index - 1].count
            rank -= buckets[index - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// Merges buckets with the same upper bound (e.g. `le="1"` and `le="1.0"`), adding counts.
    private static func coalesce(_ buckets: [Bucket]) -> [Bucket] {
        var out: [Bucket] = []
        for bucket in buckets {
            if let last = out.last, last.upperBound == bucket.upperBound {
                out[out.count - 1].count += bucket.count
            } else {
                out.append(bucket)
            }
        }
        return out
    }

    private static func ensureMonotonic(_ buckets: inout [Bucket]) {
        var maximum = -Double.infinity
        for index in buckets.indices {
            if buckets[index].count > maximum {
                maximum = buckets[index].count
            } else if buckets[index].count < maximum {
                buckets[index].count = maximum
            }
        }
    }
}
