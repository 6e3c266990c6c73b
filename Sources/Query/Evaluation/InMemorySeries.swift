package import Store

/// A `SeriesReader` over series held in memory: for tests, for replaying a trace, and for
/// evaluating PromQL over data that never touched the store.
package struct InMemorySeries: SeriesReader, Sendable {
    /// The series, each with samples in time order.
    package private(set) var series: [SeriesSamples]
    private var positions: [Labels: Int] = [:]

    /// A reader over `series`; samples out of time order within a series are dropped.
    package init(_ series: [SeriesSamples] = []) {
        self.series = []
        for item in series {
            for sample in item.samples { append(sample, to: item.labels) }
        }
    }

    /// Adds one sample; samples of a series must arrive in time order (a sample not later
    /// than the series' last one is ignored, as a store's first-write-wins would do).
    package mutating func append(_ sample: Sample, to labels: Labels) {
        if let position = positions[labels] {
            if let last = series[position].samples.last, last.timestamp >= sample.timestamp { return }
            series[position].samples.append(sample)
        } else {
            positions[labels] = series.count
            series.append(SeriesSamples(labels: labels, samples: [sample]))
        }
    }

    /// The series matching every matcher, each cut to `from...through`; series left empty are omitted.
    package func series(matching matchers: [LabelMatcher], from: Int64, through: Int64) throws -> [SeriesSamples] {
        series.compactMap { item in
            guard matchers.allSatisfy({ $0.matches(item.labels[$0.name] ?? "") }) else { return nil }
            let lower = item.samples.firstIndex(notBefore: from)
            let upper = item.samples.firstIndex(after: through)
            guard lower < upper else { return nil }
            return SeriesSamples(labels: item.labels, samples: Array(item.samples[lower..<upper]))
        }
    }
}
