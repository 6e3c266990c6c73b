import Exposition
import Testing

/// Choosing the parser: from a scrape's Content-Type, or from the body for `parse-metrics --auto`.
@Suite struct ExpositionFormatTests {
    @Test("a body ending with # EOF is OpenMetrics, anything else text")
    func detection() {
        #expect(ExpositionFormat(detectingIn: Array("a 1\n# EOF\n".utf8)) == .openMetrics)
        #expect(ExpositionFormat(detectingIn: Array("a 1\n# EOF".utf8)) == .openMetrics)
        #expect(ExpositionFormat(detectingIn: Array("# EOF".utf8)) == .openMetrics)
        #expect(ExpositionFormat(detectingIn: Array("a 1\n# EOF\n\n".utf8)) == .prometheusText)
        #expect(ExpositionFormat(detectingIn: Array("a 1\nx# EOF\n".utf8)) == .prometheusText)
        #expect(ExpositionFormat(detectingIn: Array("a 1\n".utf8)) == .prometheusText)
        #expect(ExpositionFormat(detectingIn: []) == .prometheusText)
    }

    @Test("Content-Type selects the parser")
    func contentType() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4") == .prometheusText)
        #expect(ExpositionFormat(contentType: "application/json") == nil)
    }
}
