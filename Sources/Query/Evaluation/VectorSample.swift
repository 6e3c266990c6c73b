package import Store

/// One element of an instant vector: a series' labels and its value at the evaluation time.
package struct VectorSample: Sendable, Equatable {
    package var labels: Labels
    package var value: Double
    /// When the value was sampled (milliseconds); equals the evaluation time except for raw
    /// selector results, which keep their sample's time for `timestamp()`.
    package var timestamp: Int64

    /// An element as an evaluation or a test builds it.
    package init(labels: Labels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}
