/// Why a typed policy value (a duration or a percentage) could not be read; the message shows
/// the expected spelling.
package enum PolicyValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a duration such as `15s`.
    case invalidDuration(String)
    /// Not a percentage such as `25%`.
    case invalidPercent(String)

    package var description: String {
        switch self {
        case .invalidDuration(let text):
            "invalid duration \"\(text)\"; write whole numbers with units ms, s, m, h, d, w or y, largest first (e.g. 500ms, 15s, 1m30s)"
        case .invalidPercent(let text):
            "invalid percentage \"\(text)\"; write a number followed by %, e.g. 25%"
        }
    }
}
