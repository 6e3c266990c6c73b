/// A UTC calendar date and time from unix seconds, for PromQL's `hour()`, `day_of_week()` and
/// friends, computed arithmetically (proleptic Gregorian) so evaluation reads no time zone.
struct CivilTime {
    let year: Int64
    let month: Int64
    let day: Int64
    let hour: Int64
    let minute: Int64
    /// 0 is Sunday, as Go's `time.Weekday`.
    let dayOfWeek: Int64
    let dayOfYear: Int64

    init(unixSeconds seconds: Int64) {
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        dayOfWeek = (days + 4).floorModulo(7)
        // Howard Hinnant's civil_from_days.
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfShiftedYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfShiftedYear + 2) / 153
        day = dayOfShiftedYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let cumulative: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        dayOfYear = cumulative[Int(month - 1)] + day + (month > 2 && Self.isLeap(year) ? 1 : 0)
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

extension Int64 {
    /// Division rounding towards negative infinity, so times before 1970 land on the right day.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
