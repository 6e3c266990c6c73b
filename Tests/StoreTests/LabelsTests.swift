import Testing

@testable import Store

@Suite struct LabelsTests {
    @Test func theCanonicalFormIsSortedWithoutEmptyValues() {
        let labels = Labels(name: "up", ["job": "api", "zone": "", "instance": "a:1"])
        #expect(labels.pairs.map(\.name) == ["__name__", "instance", "job"])
        #expect(labels == Labels(name: "up", ["instance": "a:1", "job": "api"]))
    }

    @Test func theStoredEncodingRoundTripsAnyText() {
        let labels = Labels(name: "m", ["quote": "a\"b", "newline": "x\ny", "unicode": "żółw", "nul": "a\u{0}b"])
        #expect(Labels(encoded: labels.encoded) == labels)
    }

    @Test func damagedEncodingsAreRejected() {
        let encoded = Labels(name: "metric", ["a": "b"]).encoded
        #expect(Labels(encoded: Array(encoded.dropLast(2))) == nil)
    }
}
