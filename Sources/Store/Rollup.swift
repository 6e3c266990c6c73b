/// The bucket widths rollups are kept at: a long replay reads one row per minute or hour
/// instead of every scrape.
package enum RollupResolution: Int64, Sendable, CaseIterable {
    case minute = 60_000
    case hour = 3_600_000

    /// The bucket width in milliseconds.
    package var milliseconds: Int64 { rawValue }
}

/// The summary of one series over one bucket `[timestamp, timestamp + resolution)`. NaN values
/// (and so stale markers) are left out; `min`, `max` and `sum` are nil when no value remained.
package struct Rollup: Sendable, Equatable {
    package var timestamp: Int64
    package var min: Double?
    package var max: Double?
    package var sum: Double?
    package var count: Int

    /// A bucket summary starting at `timestamp`.
    package init(timestamp: Int64, min: Double?, max: Double?, sum: Double?, count: Int) {
        self.timestamp = timestamp
        self.min = min
        self.max = max
        self.sum = sum
        self.count = count
    }
}

/// A series and its rollups in a time range, in time order.
package struct SeriesRollups: Sendable, Equatable {
    package var labels: Labels
    package var rollups: [Rollup]

    /// A series with its buckets, in time order.
    package init(labels: Labels, rollups: [Rollup]) {
        self.labels = labels
        self.rollups = rollups
    }
}
