import Testing

@testable import Policy

@Suite struct PercentTests {
    @Test(arguments: [("25%", 25.0), ("12.5%", 12.5), ("0%", 0), ("100%", 100), ("-50%", -50), ("150%", 150)])
    func percentParsesWithItsSign(text: String, value: Double) throws {
        let percent = try Percent(parsing: text)
        #expect(percent.value == value)
        #expect(percent.fraction == value / 100)
    }

    @Test(arguments: ["25", "%", "25 %", "twenty%", "1e2%", "nan%", ".5%", "25%%"])
    func malformedPercentIsRejected(text: String) {
        #expect(throws: PolicyValueError.invalidPercent(text)) { try Percent(parsing: text) }
    }

    @Test func percentDescriptionDropsNeedlessDecimals() {
        #expect(Percent(25).description == "25%")
        #expect(Percent(12.5).description == "12.5%")
    }
}
