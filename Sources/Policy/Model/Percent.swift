/// A percentage written in a policy with its sign (`25%`).
///
/// Kept distinct from plain numbers so a share (`max_ejected: 10%`) can never be confused with a
/// fraction (`smoothing: 0.5`) or a count.
package struct Percent: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in percent: `25` for `25%`.
    package var value: Double

    /// Creates a percentage of `value` percent.
    package init(_ value: Double) {
        self.value = value
    }

    /// The value as a fraction of one: `0.25` for `25%`.
    package var fraction: Double { value / 100 }

    package static func < (lhs: Percent, rhs: Percent) -> Bool {
        lhs.value < rhs.value
    }

    package var description: String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))%" : "\(Percent.plainDecimal(value))%"
    }

    /// `value` without an exponent (`0.00001`, not `1e-05`): ``init(parsing:)`` reads no exponent,
    /// and a percentage written in JSON or a message must read back. The digits are Swift's
    /// shortest round-tripping ones.
    static func plainDecimal(_ value: Double) -> String {
        let text = "\(value)"
        guard let marker = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: marker)...]) else { return text }
        var mantissa = text[..<marker]
        let sign = mantissa.hasPrefix("-") ? "-" : ""
        if !sign.isEmpty { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".")
        let digits = parts.joined()
        let point = parts[0].count + exponent
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }
}

/// Written as in a policy file (`25%`) and read back with the loader's parser.
extension Percent: PolicyTextCodable {}
