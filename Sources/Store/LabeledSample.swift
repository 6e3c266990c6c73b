/// A sample with the series it belongs to, as a scrape or an import produces it.
package struct LabeledSample: Sendable, Hashable {
    package var labels: Labels
    package var sample: Sample

    /// A sample of the series `labels`.
    package init(labels: Labels, sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}

/// A scraped sample with its series: by the id an earlier `Store.appendScrape` returned (which
/// spares the store hashing labels), by its labels, or by neither, when the scrape's
/// `SampleLabels` builds them if the store needs them.
package struct ScrapedSample: Sendable {
    package var labels: EncodedLabels?
    /// The id, `Int64.min` for none: 32 bytes a sample rather than 40 with an optional, and at
    /// start-up every target's scrape waits for the writer with all its samples.
    private var storedID: Int64
    package var sample: Sample

    package var id: Int64? {
        get { storedID == .min ? nil : storedID }
        set { storedID = newValue ?? .min }
    }

    package init(labels: Labels?, id: Int64? = nil, sample: Sample) {
        self.init(encoded: labels.map(EncodedLabels.init), id: id, sample: sample)
    }

    package init(encoded labels: EncodedLabels?, id: Int64? = nil, sample: Sample) {
        self.labels = labels
        storedID = id ?? .min
        self.sample = sample
    }
}

/// The labels of the sample at `index` of a scrape, built only when the store needs them: for a
/// sample given without labels whose series has no current id. The collector builds them from
/// the raw key it keeps for each series; a first scrape of 100,000 series would otherwise hold
/// 13 MB of labels while it waits for the writer to create them (by heaptrack, the largest part
/// of the daemon's start-up peak).
package typealias SampleLabels = @Sendable (_ index: Int) -> EncodedLabels

/// What `Store.appendScrape` did, and the series ids the caller may use from now on.
package struct ScrapeAppend: Sendable {
    package var result: AppendResult
    /// Each sample's series id, in the order given.
    package var seriesIDs: [Int64]
    /// The series generation the ids belong to.
    package var generation: Int

    package init(result: AppendResult, seriesIDs: [Int64], generation: Int) {
        self.result = result
        self.seriesIDs = seriesIDs
        self.generation = generation
    }
}

/// What an append did with its samples. Rejected samples are counted, never stored, so a
/// chunk is never corrupted by them.
package struct AppendResult: Sendable, Equatable {
    /// Samples stored.
    package var appended = 0
    /// Samples whose series already had a sample at the same timestamp (the first is kept).
    package var duplicates = 0
    /// Samples older than their series' newest stored sample (rejected on the head path).
    package var outOfOrder = 0
    /// Samples too far in the future (`Store.Options.futureTolerance`), refused.
    package var outOfBounds = 0
    /// Stale markers written for series that disappeared.
    package var staleMarkers = 0
    /// Series a scrape has that the target's previous scrape did not (`scrape_series_added`).
    package var seriesAdded = 0

    /// Counts of what an append did (tests compare whole results).
    package init(appended: Int = 0, duplicates: Int = 0, outOfOrder: Int = 0, outOfBounds: Int = 0, staleMarkers: Int = 0, seriesAdded: Int = 0) {
        self.appended = appended
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.outOfBounds = outOfBounds
        self.staleMarkers = staleMarkers
        self.seriesAdded = seriesAdded
    }
}
