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

    @Test func theStoredEncodingIsLengthPrefixedBytesThatExistingStoresHold() {
        let long = String(repeating: "x", count: 200)
        let expected: [UInt8] = [8] + Array("__name__".utf8) + [1] + Array("m".utf8) + [1] + Array("v".utf8) + [0xC8, 0x01] + Array(long.utf8)
        #expect(Labels(name: "m", ["v": long]).encoded == expected, "series are found by this form: it must never change")
    }

    @Test func damagedEncodingsAreRejected() {
        let encoded = Labels(name: "metric", ["a": "b"]).encoded
        #expect(Labels(encoded: Array(encoded.dropLast(2))) == nil)
    }

    @Test func valuesSpelledWithDifferentBytesAreDifferentSeriesAsInPrometheus() {
        // é as one scalar and as e with a combining accent: equal as Swift strings, not as bytes.
        let composed = Labels(name: "m", ["v": "caf\u{E9}"])
        let decomposed = Labels(name: "m", ["v": "cafe\u{301}"])
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed, Labels(name: "m", ["v": "caf\u{E9}"])]).count == 2)
        // Byte order, as Go sorts: 0x65 ("e", the decomposed spelling) before 0xC3.
        #expect([composed, decomposed].sorted { $0.pairs.lexicographicallyPrecedes($1.pairs) } == [decomposed, composed])
    }
}
