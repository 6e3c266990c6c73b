import Durations

/// A span of time written in a policy (`500ms`, `15s`, `1m30s`, `2h`).
///
/// Policies compare and add durations while deciding, so the value is kept as whole
/// milliseconds: exact, hashable and free of floating-point drift across millions of replay steps.
package struct PolicyDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in whole milliseconds; never negative.
    package var milliseconds: Int64

    /// Creates a duration of `milliseconds` milliseconds.
    package init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates a duration of whole `seconds`.
    package static func seconds(_ seconds: Int64) -> PolicyDuration {
        PolicyDuration(milliseconds: seconds * 1000)
    }

    /// Creates a duration of whole `minutes`.
    package static func minutes(_ minutes: Int64) -> PolicyDuration {
        PolicyDuration(milliseconds: minutes * 60_000)
    }

    /// The zero-length duration, meaning "no delay" wherever a policy allows it.
    package static let zero = PolicyDuration(milliseconds: 0)

    /// The length in seconds, for arithmetic against signal values and clocks.
    package var seconds: Double { Double(milliseconds) / 1000 }

    /// The same span as a standard library `Duration`.
    package var duration: Duration { .milliseconds(milliseconds) }

    package static func < (lhs: PolicyDuration, rhs: PolicyDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The canonical spelling, largest units first (`1m30s`, `500ms`, `0s`).
    package var description: String { PrometheusDuration.format(milliseconds) }
}

/// Written as in a policy file (`1m30s`) and read back with the loader's parser.
extension PolicyDuration: PolicyTextCodable {}
