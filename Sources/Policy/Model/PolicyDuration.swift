/// A span of time written in a policy (`500ms`, `15s`, `1m30s`, `2h`).
///
/// Policies compare and add durations while deciding, so the value is kept as whole
/// milliseconds: exact, hashable and free of floating-point drift across millions of replay steps.
public struct PolicyDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in whole milliseconds; never negative.
    public var milliseconds: Int64

    /// Creates a duration of `milliseconds` milliseconds.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates a duration of whole `seconds`.
    public static func seconds(_ seconds: Int64) -> PolicyDuration {
        PolicyDuration(milliseconds: seconds * 1000)
    }

    /// Creates a duration of whole `minutes`.
    public static func minutes(_ minutes: Int64) -> PolicyDuration {
        PolicyDuration(milliseconds: minutes * 60_000)
    }

    /// The zero-length duration, meaning "no delay" wherever a policy allows it.
    public static let zero = PolicyDuration(milliseconds: 0)

    /// The length in seconds, for arithmetic against signal values and clocks.
    public var seconds: Double { Double(milliseconds) / 1000 }

    /// The same span as a standard library `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    public static func < (lhs: PolicyDuration, rhs: PolicyDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The canonical policy spelling, largest units first (`1m30s`, `500ms`, `0s`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in PolicyDuration.units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// Units from largest to smallest with their length in milliseconds (Prometheus' set).
    static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]
}

/// Written as in a policy file (`1m30s`) and read back with the loader's parser.
extension PolicyDuration: Codable, PolicyTextCodable {}
