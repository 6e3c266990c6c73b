/// Why a condition such as `error_ratio > 0.05` could not be read.
package enum SignalConditionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// It does not start with a signal name.
    case missingSignal(String)
    /// The operator is not one of `<`, `<=`, `>`, `>=`, `==`, `!=`.
    case invalidOperator(String)
    /// The right-hand side is not a finite number.
    case invalidThreshold(String)

    package var description: String {
        switch self {
        case .missingSignal(let text):
            "condition \"\(text)\" must start with a signal name; write e.g. \"error_ratio > 0.05\""
        case .invalidOperator(let text):
            "condition \"\(text)\" needs one of <, <=, >, >=, ==, != after the signal name"
        case .invalidThreshold(let text):
            "condition \"\(text)\" must end with a number, e.g. \"error_ratio > 0.05\""
        }
    }
}
