/// A UTC calendar date and time from unix seconds, for PromQL's `hour()`, `day_of_week()` and
/// friends. It follows Go's `time` package step by step — seconds since its absolute zero year
/// as an unsigned count, 400/100/4-year cycles — so results match Prometheus even for values
/// far outside any real date (a NaN argument reads as year 292277026596 there, and here).
struct CivilTime {
    let year: Int64
    let month: Int64
    let day: Int64
    let hour: Int64
    let minute: Int64
    /// 0 is Sunday, as Go's `time.Weekday`.
    let dayOfWeek: Int64
    let dayOfYear: Int64

    private static let secondsPerDay: UInt64 = 86_400
    private static let absoluteZeroYear: Int64 = -292_277_022_399
    /// Go's `unixToInternal + internalToAbsolute`: from unix seconds to its absolute clock.
    private static let unixToAbsolute: Int64 = 62_135_596_800 &+ 9_223_371_966_579_724_800
    private static let daysBefore: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

    init(unixSeconds seconds: Int64) {
        let absolute = UInt64(bitPattern: seconds &+ Self.unixToAbsolute)
        hour = Int64(absolute % Self.secondsPerDay / 3600)
        minute = Int64(absolute % 3600 / 60)
        // The absolute zero year began on a Monday.
        dayOfWeek = Int64((absolute &+ Self.secondsPerDay) % (7 * Self.secondsPerDay) / Self.secondsPerDay)

        var days = absolute / Self.secondsPerDay
        var cycles = days / 146_097
        var years = 400 * cycles
        days -= 146_097 * cycles
        cycles = days / 36_524
        cycles -= cycles >> 2
        years += 100 * cycles
        days -= 36_524 * cycles
        cycles = days / 1461
        years += 4 * cycles
        days -= 1461 * cycles
        cycles = days / 365
        cycles -= cycles >> 2
        years += cycles
        days -= 365 * cycles

        year = Int64(bitPattern: years) &+ Self.absoluteZeroYear
        dayOfYear = Int64(days) + 1
        var dayOfYearFromZero = Int64(days)
        if Self.isLeap(year) {
            if dayOfYearFromZero == 31 + 29 - 1 {
                (month, day) = (2, 29)
                return
            }
            if dayOfYearFromZero > 31 + 29 - 1 { dayOfYearFromZero -= 1 }
        }
        // Estimate with 31-day months; the estimate is at most one month short.
        var estimate = dayOfYearFromZero / 31
        let end = Self.daysBefore[Int(estimate) + 1]
        let begin: Int64
        if dayOfYearFromZero >= end {
            estimate += 1
            begin = end
        } else {
            begin = Self.daysBefore[Int(estimate)]
        }
        month = estimate + 1
        day = dayOfYearFromZero - begin + 1
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    var daysInMonth: Int64 {
        switch month {
        case 2: return Self.isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The value the calendar function returns.
    func component(_ function: Function) -> Double {
        switch function {
        case .minute: return Double(minute)
        case .hour: return Double(hour)
        case .month: return Double(month)
        case .year: return Double(year)
        case .dayOfWeek: return Double(dayOfWeek)
        case .dayOfMonth: return Double(day)
        case .dayOfYear: return Double(dayOfYear)
        case .daysInMonth: return Double(daysInMonth)
        default: return .nan
        }
    }
}
