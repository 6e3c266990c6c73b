package import Store

extension Labels {
    /// Prometheus' `labels.Compare`: pair by pair, name then value, a shorter prefix first.
    /// Range results are sorted this way.
    package static func precedes(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) where left != right {
            return left.name != right.name ? left.name < right.name : left.value < right.value
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// The labels without the metric name, as arithmetic and most functions return them.
    var droppingMetricName: Labels {
        guard pairs.contains(where: { $0.name == Labels.metricNameLabel }) else { return self }
        return Labels(pairs.filter { $0.name != Labels.metricNameLabel })
    }

    /// Only the labels named in `names`. Grouping lists are short, so a linear scan beats
    /// building a set for every sample at every step.
    func keeping(names: [String]) -> Labels {
        Labels(pairs.filter { names.contains($0.name) })
    }

    /// Every label except those named in `names`.
    func removing(names: [String]) -> Labels {
        Labels(pairs.filter { !names.contains($0.name) })
    }
}
