/// The aggregation operators of the subset; `topk`, `bottomk`, `quantile` take a scalar
/// parameter and `count_values` a string one.
package enum AggregationOperator: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    /// The type of the parameter before the vector argument, if the operator takes one.
    var parameterType: ValueType? {
        switch self {
        case .topk, .bottomk, .quantile: return .scalar
        case .countValues: return .string
        default: return nil
        }
    }
}
