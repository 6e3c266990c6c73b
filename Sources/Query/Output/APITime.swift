import Durations

/// Times and durations as the Prometheus HTTP API accepts them, for `ballast query` and the
/// daemon's `/api/v1/query`: RFC 3339 or unix seconds (fractional allowed), and durations as
/// `5m`-style or plain seconds. Results are milliseconds.
package enum APITime {
    /// Milliseconds since the epoch, or nil when `text` is neither unix seconds nor RFC 3339.
    package static func parseTime(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            return milliseconds(fromSeconds: seconds)
        }
        return parseRFC3339(text)
    }

    /// Milliseconds, or nil when `text` is neither a PromQL duration nor a number of seconds.
    package static func parseDuration(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            return milliseconds(fromSeconds: seconds)
        }
        return PrometheusDuration.parse(text)
    }

    /// Prometheus rounds to the millisecond after splitting whole and fractional seconds.
    private static func milliseconds(fromSeconds seconds: Double) -> Int64? {
        guard Swift.abs(seconds) * 1000 < Double(QueryEngine.timeLimit) else { return nil }
        let whole = seconds.rounded(.towardZero)
        let fraction = ((seconds - whole) * 1000).rounded()
        return Int64(whole) * 1000 + Int64(fraction)
    }

    /// `2026-11-25T01:02:03.456Z` or with a `+hh:mm`/`-hh:mm` offset.
    private static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, range.allSatisfy({ bytes[$0] >= 48 && bytes[$0] <= 57 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int64(bytes[$1] - 48) }
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var position = 19
        var millis: Int64 = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            var scale: Int64 = 100
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                millis += Int64(bytes[position] - 48) * scale
                scale /= 10
                position += 1
            }
        }
        guard position < bytes.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard position + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard position + 6 == bytes.count, bytes[position + 3] == UInt8(ascii: ":"),
                let hours = number((position + 1)..<(position + 3)), let minutes = number((position + 4)..<(position + 6))
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (bytes[position] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
