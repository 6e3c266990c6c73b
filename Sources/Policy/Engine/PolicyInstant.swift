/// A point in time as the engine sees it: whole milliseconds since the Unix epoch.
///
/// The engine never reads a clock; the daemon passes wall time and replay passes simulated time,
/// both in the unit the store's samples already use, so no conversion drifts across replay steps.
package struct PolicyInstant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    package var milliseconds: Int64

    /// Creates an instant `milliseconds` after the epoch.
    package init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates an instant whole `seconds` after the epoch.
    package static func seconds(_ seconds: Int64) -> PolicyInstant {
        PolicyInstant(milliseconds: seconds * 1000)
    }

    /// Seconds since the epoch, for messages and rates.
    package var seconds: Double { Double(milliseconds) / 1000 }

    package static func < (lhs: PolicyInstant, rhs: PolicyInstant) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The instant `duration` later.
    package static func + (lhs: PolicyInstant, rhs: PolicyDuration) -> PolicyInstant {
        PolicyInstant(milliseconds: lhs.milliseconds + rhs.milliseconds)
    }

    /// The instant `duration` earlier.
    package static func - (lhs: PolicyInstant, rhs: PolicyDuration) -> PolicyInstant {
        PolicyInstant(milliseconds: lhs.milliseconds - rhs.milliseconds)
    }

    /// The time elapsed from `rhs` to `lhs`, zero if `rhs` is later.
    package static func - (lhs: PolicyInstant, rhs: PolicyInstant) -> PolicyDuration {
        PolicyDuration(milliseconds: Swift.max(0, lhs.milliseconds - rhs.milliseconds))
    }

    package var description: String { "\(milliseconds)ms" }

    package init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
}
