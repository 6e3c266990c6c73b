import Exposition

/// Writes stored series as OpenMetrics text with timestamps — the input `ballast import` and
/// `promtool tsdb create-blocks-from openmetrics` take, so data moves both ways. Series are
/// grouped by metric name (OpenMetrics forbids interleaved families) and read one at a time,
/// so memory holds one series, not the export. Stale markers are left out: they are not
/// values, and importers would read them back as plain NaN.
public struct OpenMetricsExport {
    private let store: Store

    /// An exporter reading from `store`.
    public init(store: Store) {
        self.store = store
    }

    /// Writes every series matching any of `selectors` (each a list of matchers that must all
    /// hold; no selector exports everything) with its samples in `from...through` (ms), ending
    /// with `# EOF`. `write` receives the text in pieces. Returns the number of samples written.
    @discardableResult
    public func write(
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
        var written = 0
        var text = ""
        text.reserveCapacity(1 << 16)
        var currentFamily: String?
        for (labels, id) in series {
            let samples = try store.samples(of: id, from: from, through: through)
            let name = labels.metricName ?? ""
            if name != currentFamily {
                currentFamily = name
                text += "# TYPE \(name) unknown\n"
            }
            let prefix = Self.seriesText(labels)
            for sample in samples where !sample.isStale {
                text += prefix
                text += " "
                text += SampleValueFormat.string(for: sample.value)
                text += " "
                text += Self.secondsText(sample.timestamp)
                text += "\n"
                written += 1
                if text.utf8.count >= 1 << 16 {
                    try write(text)
                    text.removeAll(keepingCapacity: true)
                }
            }
        }
        text += "# EOF\n"
        try write(text)
        return written
    }

    /// `name{a="1",b="2"}` with OpenMetrics escaping of values.
    static func seriesText(_ labels: Labels) -> String {
        var text = labels.metricName ?? ""
        let rest = labels.pairs.filter { $0.name != Labels.metricNameLabel }
        guard !rest.isEmpty else { return text }
        text += "{"
        for (index, pair) in rest.enumerated() {
            if index > 0 { text += "," }
            text += pair.name
            text += "=\""
            for character in pair.value.unicodeScalars {
                switch character {
                case "\\": text += "\\\\"
                case "\"": text += "\\\""
                case "\n": text += "\\n"
                default: text.unicodeScalars.append(character)
                }
            }
            text += "\""
        }
        return text + "}"
    }

    /// Milliseconds as OpenMetrics seconds, exact: `1700000000`, `1700000000.5`, `-0.001`.
    static func secondsText(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let seconds = magnitude / 1000
        let fraction = magnitude % 1000
        guard fraction != 0 else { return sign + String(seconds) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(seconds) + "." + digits
    }
}
