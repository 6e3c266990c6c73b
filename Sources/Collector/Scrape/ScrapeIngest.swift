import Exposition
import Store

/// Turns one scrape body into the samples the store keeps, as Prometheus' scrape loop does:
/// the series labelled by `TargetLabeling`; samples without a timestamp get the scrape's; each
/// series' labels are built once and then found by the raw text of the line in the target's
/// `SeriesCache`, whose misses are `scrape_series_added`.
struct ScrapeIngest: ExpositionVisitor {
    let labeling: TargetLabeling
    let timestamp: Int64
    /// The target's series; the caller moves it in before parsing and back out after.
    var cache = SeriesCache()
    private(set) var samples: [ScrapedSample] = []
    private(set) var seriesAdded = 0
    /// The metric name of the last series whose labels were built: a family's series share
    /// one string instead of allocating one each.
    private var lastName = ""

    /// An ingest of a scrape expected to have about `expectedSamples` samples (the cache's
    /// count: the samples array then grows at most once).
    init(labeling: TargetLabeling, timestamp: Int64, expectedSamples: Int) {
        self.labeling = labeling
        self.timestamp = timestamp
        samples.reserveCapacity(expectedSamples + 8)
    }

    mutating func visitSample(_ sample: SampleView) throws {
        let labeling = self.labeling
        var name = lastName
        let found = cache.series(of: sample, sampleIndex: samples.count) {
            if !name.utf8.elementsEqual(sample.name) { name = sample.nameString }
            let exposed = (0..<sample.labelCount).map { index in
                (
                    name: String(decoding: sample.labelName(at: index), as: UTF8.self),
                    value: String(decoding: sample.labelValue(at: index), as: UTF8.self)
                )
            }
            return labeling.labels(name: name, exposed: exposed)
        }
        lastName = name
        if found.added { seriesAdded += 1 }
        samples.append(
            ScrapedSample(encoded: found.labels, id: found.id, sample: Sample(timestamp: sample.timestampMs ?? timestamp, value: sample.value))
        )
    }

    mutating func visitMetadata(_ line: MetadataView) throws {
        cache.metadata.record(line)
    }
}
