/// The result of evaluating an expression, shaped as Prometheus' `resultType`s.
package enum Value: Sendable, Equatable {
    case scalar(Double)
    case string(String)
    case vector([VectorSample])
    case matrix([MatrixSeries])

    /// The Prometheus API's name for this kind of result.
    package var resultType: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }

    /// Equal kinds and contents; a NaN scalar equals a NaN scalar, so results compare in tests.
    package static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): return a.bitPattern == b.bitPattern || a == b
        case (.string(let a), .string(let b)): return a == b
        case (.vector(let a), .vector(let b)): return a == b
        case (.matrix(let a), .matrix(let b)): return a == b
        default: return false
        }
    }
}
