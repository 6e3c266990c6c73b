import Exposition

/// Writes stored series as OpenMetrics text with timestamps — the input `ballast import` and
/// `promtool tsdb create-blocks-from openmetrics` take, so data moves both ways. Series are
/// grouped by metric name (OpenMetrics forbids interleaved families; without TYPE lines each
/// name is its own `unknown` family) and read one at a time, so memory holds one series, not
/// the export. Lines are written by `ExpositionWriter`, the parser's inverse. Stale markers are left out: they are not
/// values, and importers would read them back as plain NaN.
package struct OpenMetricsExport {
    private let store: Store

    /// An exporter reading from `store`.
    package init(store: Store) {
        self.store = store
    }

    /// Writes every series matching any of `selectors` (each a list of matchers that must all
    /// hold; no selector exports everything) with its samples in `from...through` (ms), ending
    /// with `# EOF`. `write` receives the text in pieces. Returns the number of samples written.
    @discardableResult
    package func write(
        selectors: [[LabelMatcher]],
        from: Int64,
        through: Int64,
        to write: (String) throws -> Void
    ) throws -> Int {
        var ids = Set<Int64>()
        for matchers in selectors.isEmpty ? [[]] : selectors {
            ids.formUnion(try store.index.ids(matching: matchers))
        }
        var series: [(labels: Labels, id: Int64)] = []
        for id in ids {
            if let labels = try store.index.labels(of: id) { series.append((labels, id)) }
        }
        series.sort { lhs, rhs in
            let (left, right) = (lhs.labels.metricName ?? "", rhs.labels.metricName ?? "")
            return left == right ? lhs.labels.description < rhs.labels.description : left < right
        }
        let writer = ExpositionWriter(format: .openMetrics)
        var written = 0
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16)
        for (labels, id) in series {
            let samples = try store.samples(of: id, from: from, through: through)
            var line = ParsedSample(
                name: labels.metricName ?? "",
                labels: labels.pairs.filter { $0.name != Labels.metricNameLabel }.map {
                    ParsedSample.Label(name: $0.name, value: $0.value)
                },
                value: 0
            )
            for sample in samples where !sample.isStale {
                line.value = sample.value
                line.timestampMs = sample.timestamp
                writer.append(line, into: &output)
                written += 1
                if output.count >= 1 << 16 {
                    try write(String(decoding: output, as: UTF8.self))
                    output.removeAll(keepingCapacity: true)
                }
            }
        }
        output.append(contentsOf: "# EOF\n".utf8)
        try write(String(decoding: output, as: UTF8.self))
        return written
    }
}
