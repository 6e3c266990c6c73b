/// The one duration grammar Ballast reads, in PromQL (`rate(x[5m])`, `offset 1h30m`), API
/// parameters (`step=15s`) and policy files (`interval: 500ms`): Prometheus' `model.ParseDuration`.
/// Whole numbers each followed by a unit, from years down to milliseconds, each unit at most
/// once and largest first; `0` alone is zero; at most `maximum`. Where a context narrows it
/// (a policy key's range), that context says so in its own check.
package enum PrometheusDuration {
    package static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// The longest duration Go's `time.Duration` (nanoseconds in an Int64) holds, about 292 years:
    /// Prometheus refuses longer ones, and the bound keeps time arithmetic far from overflow.
    package static let maximum: Int64 = Int64.max / 1_000_000

    /// The duration in milliseconds, or nil when `text` is not a valid duration. `0` alone is valid.
    package static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix(while: { $0.isASCII && $0.isLetter })
            rest = rest.dropFirst(letters.count)
            guard let index = units[nextUnit...].firstIndex(where: { $0.suffix == letters }) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: units[index].milliseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow, !sumOverflow, sum <= maximum else { return nil }
            total = sum
            nextUnit = index + 1
        }
        return total
    }

    /// The canonical Prometheus spelling of a duration (`90000` → `1m30s`), for messages.
    package static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for (suffix, size) in units where rest >= UInt64(size) {
            out += "\(rest / UInt64(size))\(suffix)"
            rest %= UInt64(size)
        }
        return out
    }
}
