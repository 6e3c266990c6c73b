public import Store

extension Labels {
    /// Prometheus' `labels.Compare`: pair by pair, name then value, a shorter prefix first.
    /// Range results are sorted this way.
    public static func precedes(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) where left != right {
            return left.name != right.name ? left.name < right.name : left.value < right.value
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// The labels without the metric name, as arithmetic and most functions return them.
    var droppingMetricName: Labels {
        metricName == nil ? self : removing([Labels.metricNameLabel])
    }
}
