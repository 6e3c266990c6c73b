import Durations
import Testing

@testable import Query

@Test func timesAreUnixSecondsOrRFC3339() {
    #expect(APITime.parseTime("1700000000") == 1_700_000_000_000)
    #expect(APITime.parseTime("1700000000.5") == 1_700_000_000_500)
    #expect(APITime.parseTime("1700000000.0004") == 1_700_000_000_000)
    #expect(APITime.parseTime("2023-11-14T22:13:20Z") == 1_700_000_000_000)
    #expect(APITime.parseTime("2023-11-14T22:13:20.25Z") == 1_700_000_000_250)
    #expect(APITime.parseTime("2023-11-15T00:13:20+02:00") == 1_700_000_000_000)
    #expect(APITime.parseTime("1969-12-31T23:59:59Z") == -1000)
    #expect(APITime.parseTime("yesterday") == nil)
    #expect(APITime.parseTime("2023-13-14T22:13:20Z") == nil)
}

@Test func stepsArePrometheusDurationsOrSeconds() {
    #expect(APITime.parseDuration("15s") == 15_000)
    #expect(APITime.parseDuration("1m30s") == 90_000)
    #expect(APITime.parseDuration("0.5") == 500)
    #expect(APITime.parseDuration("5x") == nil)
}
