public import Store

/// One series of a range result: its labels and points in time order.
public struct MatrixSeries: Sendable, Equatable {
    public var labels: Labels
    public var samples: [Sample]

    /// A series with its points, in time order.
    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}
