import Foundation

/// Formatting shared by every decision's reason, so journals read the same whatever produced them.
enum Reason {
    /// A number short enough for a log line and identical on every platform (three significant
    /// digits, integers in full).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.3g", value)
    }
}
