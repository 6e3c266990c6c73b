public import Store

/// One element of an instant vector: a series' labels and its value at the evaluation time.
public struct VectorSample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
    /// When the value was sampled (milliseconds); equals the evaluation time except for raw
    /// selector results, which keep their sample's time for `timestamp()`.
    public var timestamp: Int64

    /// An element as an evaluation or a test builds it.
    public init(labels: Labels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

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

/// The result of evaluating an expression, shaped as Prometheus' `resultType`s.
public enum Value: Sendable, Equatable {
    case scalar(Double)
    case string(String)
    case vector([VectorSample])
    case matrix([MatrixSeries])

    /// The Prometheus API's name for this kind of result.
    public var resultType: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }

    /// Equal kinds and contents; a NaN scalar equals a NaN scalar, so results compare in tests.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): return a.bitPattern == b.bitPattern || a == b
        case (.string(let a), .string(let b)): return a == b
        case (.vector(let a), .vector(let b)): return a == b
        case (.matrix(let a), .matrix(let b)): return a == b
        default: return false
        }
    }
}
