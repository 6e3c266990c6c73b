package import Store

/// One series of a range result: its labels and points in time order.
package struct MatrixSeries: Sendable, Equatable {
    package var labels: Labels
    package var samples: [Sample]

    /// A series with its points, in time order.
    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}
