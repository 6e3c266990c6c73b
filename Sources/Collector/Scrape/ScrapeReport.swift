package import Store

/// One scrape of one target: what it produced and how it went, as Prometheus' report series and
/// `/api/v1/targets` describe it.
package struct ScrapeReport: Sendable {
    package var target: ScrapeTarget
    /// The scrape's timestamp (ms since the epoch): its start, as samples without their own get.
    package var timestamp: Int64
    /// Seconds the scrape took, fetch and parse included (`scrape_duration_seconds`).
    package var duration: Double
    /// Why the scrape failed (`up` 0), or nil.
    package var error: String?
    /// The samples to store: the target's series on success, none on failure.
    package var samples: [ScrapedSample]
    /// Samples parsed (`scrape_samples_scraped`; on failure, those before the error, and the
    /// failing one where Prometheus counts it: `ExpositionError.countsTheSample`).
    package var samplesScraped: Int
    /// Samples that would be stored (`scrape_samples_post_metric_relabeling`; on failure, those
    /// before the error).
    package var samplesAccepted: Int
    /// Series not in the previous successful scrape (`scrape_series_added`).
    package var seriesAdded: Int
    /// HELP, TYPE and UNIT by family, from a successful scrape.
    package var metadata: [String: MetricMetadata]
    package var up: Bool { error == nil }

    /// How many report series a scrape writes.
    package static let reportSeriesCount = 5

    /// The five series Prometheus writes for every scrape, failed or not, with the target's labels.
    package var reportSamples: [LabeledSample] {
        let labels = target.allLabels
        func sample(_ name: String, _ value: Double) -> LabeledSample {
            LabeledSample(labels: Labels(name: name, labels), sample: Sample(timestamp: timestamp, value: value))
        }
        return [
            sample("up", up ? 1 : 0),
            sample("scrape_duration_seconds", duration),
            sample("scrape_samples_scraped", Double(samplesScraped)),
            sample("scrape_samples_post_metric_relabeling", Double(samplesAccepted)),
            sample("scrape_series_added", Double(seriesAdded)),
        ]
    }
}
