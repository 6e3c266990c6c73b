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
