import Testing

@testable import Query

@Test func formatsLikeGoFixedNotationWithShortestDigits() {
    #expect(GoFloat.format(1) == "1")
    #expect(GoFloat.format(1.5) == "1.5")
    #expect(GoFloat.format(0.00001) == "0.00001")
    #expect(GoFloat.format(1e21) == "1000000000000000000000")
    #expect(GoFloat.format(-0.0) == "-0")
    #expect(GoFloat.format(0.1 + 0.2) == "0.30000000000000004")
    #expect(GoFloat.format(123456.789e-10) == "0.0000123456789")
    #expect(GoFloat.format(-2.5e-7) == "-0.00000025")
    #expect(GoFloat.format(.nan) == "NaN")
    #expect(GoFloat.format(.infinity) == "+Inf")
    #expect(GoFloat.format(-.infinity) == "-Inf")
}

@Test func wholeNumbersPrintWithoutFractionAtAnyMagnitude() {
    #expect(GoFloat.format(1_234_567_890_123_456) == "1234567890123456")
    #expect(GoFloat.format(999_999_999_999_999) == "999999999999999")
    #expect(GoFloat.format(-42) == "-42")
    #expect(GoFloat.format(0) == "0")
}

@Test func sampleValuesUseExponentsOutsideGoJSONsPositionalRange() {
    #expect(GoFloat.formatSampleValue(-5.551115123125783e-19) == "-5.551115123125783e-19")
    #expect(GoFloat.formatSampleValue(1e21) == "1e+21")
    #expect(GoFloat.formatSampleValue(1.5e300) == "1.5e+300")
    #expect(GoFloat.formatSampleValue(1e-7) == "1e-07")
    #expect(GoFloat.formatSampleValue(0.000001) == "0.000001")
    #expect(GoFloat.formatSampleValue(1e20) == "100000000000000000000")
    #expect(GoFloat.formatSampleValue(0) == "0")
}

@Test func parsesBucketBoundsLikeGoParseFloat() {
    #expect(GoFloat.parse("+Inf") == .infinity)
    #expect(GoFloat.parse("-inf") == -.infinity)
    #expect(GoFloat.parse("0.25") == 0.25)
    #expect(GoFloat.parse("1e3") == 1000)
    #expect(GoFloat.parse("NaN")?.isNaN == true)
    #expect(GoFloat.parse("fast") == nil)
    #expect(GoFloat.parse("") == nil)
}

@Suite struct GoFloatFormatVTests {
    @Test(arguments: [
        (1e20, "1e+20"), (123456, "123456"), (1234567, "1.234567e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"),
        (-2.5, "-2.5"), (1.5e-7, "1.5e-07"), (Double.nan, "NaN"), (-Double.infinity, "-Inf"), (9.3e18, "9.3e+18"),
    ])
    func valuesPrintAsGosPercentV(value: Double, expected: String) {
        #expect(GoFloat.formatV(value) == expected)
    }
}
