/// A comparison of one signal against a threshold, written `signal OP number` in a policy
/// (`error_ratio > 0.05`).
package struct SignalCondition: Sendable, Hashable, CustomStringConvertible {
    /// The name of the signal compared.
    package var signal: String
    /// The comparison.
    package var comparison: Comparison
    /// The number the signal is compared with.
    package var threshold: Double

    /// Creates a condition.
    package init(signal: String, comparison: Comparison, threshold: Double) {
        self.signal = signal
        self.comparison = comparison
        self.threshold = threshold
    }

    /// The comparison operators a condition may use.
    package enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<"
        case lessOrEqual = "<="
        case greaterThan = ">"
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
    }

    /// Whether `value` satisfies the condition; NaN never does.
    package func holds(for value: Double) -> Bool {
        switch comparison {
        case .lessThan: value < threshold
        case .lessOrEqual: value <= threshold
        case .greaterThan: value > threshold
        case .greaterOrEqual: value >= threshold
        case .equal: value == threshold
        case .notEqual: !value.isNaN && value != threshold
        }
    }

    package var description: String { "\(signal) \(comparison.rawValue) \(threshold)" }
}

/// Written as in a policy file (`error_ratio > 0.05`) and read back with the loader's parser.
extension SignalCondition: PolicyTextCodable {}
