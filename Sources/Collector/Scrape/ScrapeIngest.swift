import Exposition
import Store

/// Turns one scrape body into the samples the store keeps, as Prometheus' scrape loop does:
/// samples without a timestamp get the scrape's; each series is found by the raw text of its
/// line in the target's `SeriesCache` (which labels it, by `TargetLabeling`, only when the
/// store asks), whose misses are `scrape_series_added`.
struct ScrapeIngest: ExpositionVisitor {
    let timestamp: Int64
    /// The target's series; the caller moves it in before parsing and back out after.
    var cache = SeriesCache()
    private(set) var samples: [ScrapedSample] = []
    private(set) var seriesAdded = 0
    /// Whether the sample a failed scrape ended at counts as scraped, as Prometheus counts it
    /// (`ExpositionError.countsTheSample`).
    private var failingSampleCounts = false
    /// Samples parsed, as `scrape_samples_scraped` counts them.
    var samplesScraped: Int { samples.count + (failingSampleCounts ? 1 : 0) }

    /// An ingest of a scrape expected to have about `expectedSamples` samples (the cache's
    /// count: the samples array then grows at most once).
    init(timestamp: Int64, expectedSamples: Int) {
        self.timestamp = timestamp
        samples.reserveCapacity(expectedSamples + 8)
    }

    mutating func visitSample(_ sample: SampleView) throws {
        let found = cache.series(of: sample, sampleIndex: samples.count)
        if found.added { seriesAdded += 1 }
        samples.append(ScrapedSample(encoded: nil, id: found.id, sample: Sample(timestamp: sample.timestampMs ?? timestamp, value: sample.value)))
    }

    /// The scrape failed at `error`.
    mutating func failed(at error: ExpositionError) {
        failingSampleCounts = error.countsTheSample
    }

    mutating func visitMetadata(_ line: MetadataView) throws {
        cache.metadata.record(line)
    }
}
