/// A sample with the series it belongs to, as a scrape or an import produces it.
public struct LabeledSample: Sendable, Hashable {
    public var labels: Labels
    public var sample: Sample

    /// A sample of the series `labels`.
    public init(labels: Labels, sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}

/// What an append did with its samples. Rejected samples are counted, never stored, so a
/// chunk is never corrupted by them.
public struct AppendResult: Sendable, Equatable {
    /// Samples stored.
    public var appended = 0
    /// Samples whose series already had a sample at the same timestamp (the first is kept).
    public var duplicates = 0
    /// Samples older than their series' newest stored sample (rejected on the head path).
    public var outOfOrder = 0
    /// Samples too far in the future (`Store.Options.futureTolerance`), refused.
    public var outOfBounds = 0
    /// Stale markers written for series that disappeared.
    public var staleMarkers = 0
    /// Series a scrape has that the target's previous scrape did not (`scrape_series_added`).
    public var seriesAdded = 0

    /// Counts of what an append did (tests compare whole results).
    public init(appended: Int = 0, duplicates: Int = 0, outOfOrder: Int = 0, outOfBounds: Int = 0, staleMarkers: Int = 0, seriesAdded: Int = 0) {
        self.appended = appended
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.outOfBounds = outOfBounds
        self.staleMarkers = staleMarkers
        self.seriesAdded = seriesAdded
    }
}
