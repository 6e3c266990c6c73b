import Testing

@testable import Query

@Test func civilTimeHandlesLeapDaysAndTimesBefore1970() {
    let leapDay = CivilTime(unixSeconds: 951_782_400)  // 2000-02-29T00:00:00Z, a Tuesday
    #expect([leapDay.year, leapDay.month, leapDay.day, leapDay.dayOfWeek, leapDay.dayOfYear] == [2000, 2, 29, 2, 60])
    #expect(leapDay.daysInMonth == 29)
    let beforeEpoch = CivilTime(unixSeconds: -1)  // 1969-12-31T23:59:59Z, a Wednesday
    #expect([beforeEpoch.year, beforeEpoch.month, beforeEpoch.day, beforeEpoch.hour, beforeEpoch.minute] == [1969, 12, 31, 23, 59])
    #expect(beforeEpoch.dayOfWeek == 3)
    #expect(CivilTime(unixSeconds: 1_704_067_199).dayOfYear == 365)  // 2023-12-31
    #expect(CivilTime(unixSeconds: 1_735_689_599).dayOfYear == 366)  // 2024-12-31
    #expect(CivilTime(unixSeconds: 1_709_164_800).daysInMonth == 29)
}

@Test func civilTimeWrapsLikeGoForTimesNoCalendarHolds() {
    // Go (and so Prometheus) reads int64(NaN) as the minimum int64 and wraps its clock arithmetic.
    #expect(CivilTime(unixSeconds: .min).year == 292_277_026_596)
    #expect(CivilTime(unixSeconds: .min).minute == 30)
    #expect(CivilTime(unixSeconds: -1_000_000_000_000_000).year == -31_686_769)
}
