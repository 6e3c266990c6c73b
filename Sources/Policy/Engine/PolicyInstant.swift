/// A point in time as the engine sees it: whole milliseconds since the Unix epoch.
///
/// The engine never reads a clock; the daemon passes wall time and replay passes simulated time,
/// both in the unit the store's samples already use, so no conversion drifts across replay steps.
public struct PolicyInstant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Creates an instant `milliseconds` after the epoch.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates an instant whole `seconds` after the epoch.
    public static func seconds(_ seconds: Int64) -> PolicyInstant {
        PolicyInstant(milliseconds: seconds * 1000)
    }

    /// Seconds since the epoch, for messages and rates.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (lhs: PolicyInstant, rhs: PolicyInstant) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The instant `duration` later.
    public static func + (lhs: PolicyInstant, rhs: PolicyDuration) -> PolicyInstant {
        PolicyInstant(milliseconds: lhs.milliseconds + rhs.milliseconds)
    }

    /// The instant `duration` earlier.
    public static func - (lhs: PolicyInstant, rhs: PolicyDuration) -> PolicyInstant {
        PolicyInstant(milliseconds: lhs.milliseconds - rhs.milliseconds)
    }

    /// The time elapsed from `rhs` to `lhs`, zero if `rhs` is later.
    public static func - (lhs: PolicyInstant, rhs: PolicyInstant) -> PolicyDuration {
        PolicyDuration(milliseconds: Swift.max(0, lhs.milliseconds - rhs.milliseconds))
    }

    public var description: String { "\(milliseconds)ms" }

    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
}
