/// The bucket widths rollups are kept at: a long replay reads one row per minute or hour
/// instead of every scrape.
public enum RollupResolution: Int64, Sendable, CaseIterable {
    case minute = 60_000
    case hour = 3_600_000

    /// The bucket width in milliseconds.
    public var milliseconds: Int64 { rawValue }
}

/// The summary of one series over one bucket `[timestamp, timestamp + resolution)`. NaN values
/// (and so stale markers) are left out; `min`, `max` and `sum` are nil when no value remained.
public struct Rollup: Sendable, Equatable {
    public var timestamp: Int64
    public var min: Double?
    public var max: Double?
    public var sum: Double?
    public var count: Int

    /// A bucket summary starting at `timestamp`.
    public init(timestamp: Int64, min: Double?, max: Double?, sum: Double?, count: Int) {
        self.timestamp = timestamp
        self.min = min
        self.max = max
        self.sum = sum
        self.count = count
    }
}

/// A series and its rollups in a time range, in time order.
public struct SeriesRollups: Sendable, Equatable {
    public var labels: Labels
    public var rollups: [Rollup]

    /// A series with its buckets, in time order.
    public init(labels: Labels, rollups: [Rollup]) {
        self.labels = labels
        self.rollups = rollups
    }
}
