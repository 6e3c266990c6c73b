import Testing

@testable import Policy

@Suite struct PolicyDurationTests {
    @Test(arguments: [
        ("0", 0),
        ("0s", 0),
        ("500ms", 500),
        ("5s", 5000),
        ("15s", 15000),
        ("1m30s", 90000),
        ("2h", 7_200_000),
        ("1h1m1s1ms", 3_661_001),
        ("1d", 86_400_000),
        ("1w", 604_800_000),
        ("1y", 31_536_000_000),
        ("90s", 90000),
    ])
    func durationParsesToMilliseconds(text: String, milliseconds: Int64) throws {
        #expect(try PolicyDuration(parsing: text).milliseconds == milliseconds)
    }

    @Test(arguments: ["", "5", "5 parsecs", "5parsecs", "1.5s", "-5s", "s", "5S", "30s1m", "1s1s", " 5s", "5s ", "1ms1s", "99999999999999h"])
    func malformedDurationIsRejected(text: String) {
        #expect(throws: PolicyValueError.invalidDuration(text)) { try PolicyDuration(parsing: text) }
    }

    @Test func descriptionIsTheCanonicalSpelling() {
        #expect(PolicyDuration(milliseconds: 90000).description == "1m30s")
        #expect(PolicyDuration(milliseconds: 500).description == "500ms")
        #expect(PolicyDuration.zero.description == "0s")
        #expect(PolicyDuration.seconds(300).description == "5m")
    }

    @Test func conversionsAgree() {
        let duration = PolicyDuration(milliseconds: 1500)
        #expect(duration.seconds == 1.5)
        #expect(duration.duration == .milliseconds(1500))
        #expect(PolicyDuration.minutes(2) > PolicyDuration.seconds(119))
    }
}
