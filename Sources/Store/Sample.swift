/// One point of a series: a millisecond timestamp and a float64 value.
package struct Sample: Hashable, Sendable {
    package var timestamp: Int64
    package var value: Double

    package init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// The bit pattern Prometheus writes when a series disappears from a scrape: a NaN that no
    /// computation produces, so readers can tell "series ended" from a genuine NaN value.
    package static let staleNaNBits: UInt64 = 0x7ff0_0000_0000_0002

    /// A stale marker at `timestamp`.
    package static func staleMarker(at timestamp: Int64) -> Sample {
        Sample(timestamp: timestamp, value: Double(bitPattern: staleNaNBits))
    }

    /// Whether this sample is a stale marker rather than data.
    package var isStale: Bool { value.bitPattern == Self.staleNaNBits }
}

/// A series and its samples in a time range, in timestamp order.
package struct SeriesSamples: Sendable {
    package var labels: Labels
    package var samples: [Sample]

    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// What the query engine reads from: the SQLite store in production, an in-memory set in
/// tests and replay. Returned samples include stale markers; interpreting them is the reader's job.
package protocol SeriesReader {
    /// Every series that satisfies all `matchers`, with its samples in `from...through`
    /// (milliseconds, inclusive).
    func series(matching matchers: [LabelMatcher], from: Int64, through: Int64) throws -> [SeriesSamples]
}
