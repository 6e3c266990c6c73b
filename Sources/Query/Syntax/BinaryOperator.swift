/// A PromQL binary operator with its precedence and associativity, exactly as in Prometheus:
/// `^` binds tightest and is right-associative; then `* / % atan2`, `+ -`, comparisons,
/// `and unless`, and `or` loosest.
package enum BinaryOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case power = "^"
    case atan2 = "atan2"
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case and = "and"
    case or = "or"
    case unless = "unless"

    /// Higher binds tighter.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo, .atan2: return 5
        case .power: return 6
        }
    }

    var isRightAssociative: Bool { self == .power }

    /// Comparisons filter (or, with `bool`, return 0/1) instead of computing.
    package var isComparison: Bool { precedence == 3 }

    /// `and`, `or`, `unless` work on label sets, not on values.
    package var isSetOperator: Bool { precedence <= 2 }

    /// Arithmetic results are new quantities, so Prometheus drops their metric name; 2.x
    /// forgets `atan2` here, and results must match it.
    var dropsMetricName: Bool { precedence >= 4 && self != .atan2 }

    /// The operator spelled as a keyword (`and`, `or`, `unless`, `atan2`), if `word` is one.
    static func keyword(_ word: String) -> BinaryOperator? {
        switch word {
        case "and": return .and
        case "or": return .or
        case "unless": return .unless
        case "atan2": return .atan2
        default: return nil
        }
    }
}
