import Exposition
import Testing

/// Values print as the shortest decimal that round-trips, integral ones without ".0".
@Suite struct SampleValueFormatTests {
    @Test(
        "values print in the contract's form",
        arguments: [
            (1027.0, "1027"), (0.5, "0.5"), (-0.0, "-0"), (0.0, "0"), (1e-05, "1e-05"), (1e+20, "1e+20"),
            (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (0.1, "0.1"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (.leastNonzeroMagnitude, "5e-324"),
        ]
    )
    func formatting(_ value: Double, _ expected: String) {
        #expect(SampleValueFormat.string(for: value) == expected)
    }

    @Test("every printed value parses back to the same bits")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Double(bitPattern: generator.next())
            let text = SampleValueFormat.string(for: value)
            let parsed = try ExpositionParser.samples(in: Array("x \(text)\n".utf8), format: .prometheusText)
            #expect(parsed.first?.value.bitPattern == value.bitPattern || (value.isNaN && parsed.first?.value.isNaN == true), "\(text)")
        }
    }
}
