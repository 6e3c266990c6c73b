/// The PromQL functions of the subset, with their argument and result types as Prometheus
/// declares them so the parser can reject wrong calls before evaluation.
package enum Function: String, Sendable, CaseIterable {
    case abs, ceil, floor, exp, ln, log2, log10, sqrt, sgn
    case round, clamp
    case clampMin = "clamp_min"
    case clampMax = "clamp_max"
    case absent, scalar, vector, time, timestamp, sort
    case sortDesc = "sort_desc"
    case rate, irate, increase, delta, idelta, deriv, changes, resets
    case predictLinear = "predict_linear"
    case holtWinters = "holt_winters"
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time"
    case countOverTime = "count_over_time"
    case lastOverTime = "last_over_time"
    case quantileOverTime = "quantile_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case presentOverTime = "present_over_time"
    case absentOverTime = "absent_over_time"
    case histogramQuantile = "histogram_quantile"
    case labelReplace = "label_replace"
    case labelJoin = "label_join"
    case minute, hour, month, year
    case dayOfWeek = "day_of_week"
    case dayOfMonth = "day_of_month"
    case dayOfYear = "day_of_year"
    case daysInMonth = "days_in_month"
    case acos, acosh, asin, asinh, atan, atanh, cos, cosh, sin, sinh, tan, tanh, deg, rad, pi

    /// Prometheus functions this subset does not evaluate; naming them gives "unsupported" instead of "unknown".
    static let unsupported: Set<String> = [
        "histogram_count", "histogram_sum", "histogram_fraction", "histogram_stddev", "histogram_stdvar",
        "mad_over_time",
    ]

    /// The declared argument types; `optionalCount` trailing ones may be omitted.
    var argumentTypes: [ValueType] {
        switch self {
        case .abs, .ceil, .floor, .exp, .ln, .log2, .log10, .sqrt, .sgn, .absent, .scalar, .timestamp, .sort, .sortDesc,
            .acos, .acosh, .asin, .asinh, .atan, .atanh, .cos, .cosh, .sin, .sinh, .tan, .tanh, .deg, .rad:
            return [.vector]
        case .round, .clampMin, .clampMax: return [.vector, .scalar]
        case .clamp: return [.vector, .scalar, .scalar]
        case .vector: return [.scalar]
        case .time, .pi: return []
        case .rate, .irate, .increase, .delta, .idelta, .deriv, .changes, .resets, .avgOverTime, .minOverTime, .maxOverTime,
            .sumOverTime, .countOverTime, .lastOverTime, .stddevOverTime, .stdvarOverTime, .presentOverTime, .absentOverTime:
            return [.matrix]
        case .predictLinear: return [.matrix, .scalar]
        case .holtWinters: return [.matrix, .scalar, .scalar]
        case .quantileOverTime: return [.scalar, .matrix]
        case .histogramQuantile: return [.scalar, .vector]
        case .labelReplace: return [.vector, .string, .string, .string, .string]
        case .labelJoin: return [.vector, .string, .string]
        case .minute, .hour, .month, .year, .dayOfWeek, .dayOfMonth, .dayOfYear, .daysInMonth: return [.vector]
        }
    }

    var optionalCount: Int {
        switch self {
        case .round, .minute, .hour, .month, .year, .dayOfWeek, .dayOfMonth, .dayOfYear, .daysInMonth: return 1
        default: return 0
        }
    }

    /// The type of any number of further arguments (`label_join`'s source labels).
    var variadicType: ValueType? { self == .labelJoin ? .string : nil }

    var returnType: ValueType {
        switch self {
        case .scalar, .time, .pi: return .scalar
        default: return .vector
        }
    }
}
