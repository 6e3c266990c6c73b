/// A percentage written in a policy with its sign (`25%`).
///
/// Kept distinct from plain numbers so a share (`max_ejected: 10%`) can never be confused with a
/// fraction (`smoothing: 0.5`) or a count.
public struct Percent: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in percent: `25` for `25%`.
    public var value: Double

    /// Creates a percentage of `value` percent.
    public init(_ value: Double) {
        self.value = value
    }

    /// The value as a fraction of one: `0.25` for `25%`.
    public var fraction: Double { value / 100 }

    public static func < (lhs: Percent, rhs: Percent) -> Bool {
        lhs.value < rhs.value
    }

    public var description: String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))%" : "\(value)%"
    }
}

/// Written as in a policy file (`25%`) and read back with the loader's parser.
extension Percent: Codable, PolicyTextCodable {}
