import Exposition
import Store
import Testing

/// The raw key a series is recognised by from scrape to scrape, and the piecewise comparison
/// the collector checks its order guess with.
@Suite struct RawSeriesKeyTests {
    /// The key of each sample of `text`, and whether each key matches each sample.
    private struct Keys: ExpositionVisitor {
        var keys: [RawSeriesKey] = []
        var samples: [ParsedSample] = []
        var matches: [[Bool]] = []
        let others: [RawSeriesKey]

        mutating func visitSample(_ sample: SampleView) throws {
            var key = RawSeriesKey()
            key.set(sample)
            keys.append(key)
            matches.append(others.map { other in other.bytes.withUnsafeBufferPointer { RawSeriesKey.matches($0, sample) } })
        }
    }

    private func keys(_ lines: [String], against others: [RawSeriesKey] = []) throws -> Keys {
        var visitor = Keys(others: others)
        var parser = ExpositionParser(format: .prometheusText)
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        try body.withUnsafeBufferPointer { try parser.parse($0, into: &visitor) }
        return visitor
    }

    @Test func aKeyMatchesItsOwnSeriesOnly() throws {
        let lines = [
            "a 1", "ab 1", "a{x=\"1\"} 1", "a{x=\"1\",y=\"2\"} 1", "a{x=\"12\"} 1", "a{xy=\"2\"} 1", "a{x=\"\"} 1",
            "a{x=\"1\\n\"} 1",
        ]
        let own = try keys(lines).keys
        let seen = try keys(lines, against: own)
        for (index, row) in seen.matches.enumerated() {
            #expect(row == own.indices.map { $0 == index }, "line \(lines[index])")
        }
    }

    @Test func theSameSeriesWrittenAgainHasTheSameKey() throws {
        let first = try keys(["a{x=\"1\",y=\"2\"} 1"]).keys
        let again = try keys(["a{x=\"1\",y=\"2\",} 7 123"], against: first)
        #expect(again.keys == first)
        #expect(again.matches == [[true]])
        // Label order is part of the raw key: the store, not the cache, knows the two are one series.
        #expect(try keys(["a{y=\"2\",x=\"1\"} 1"], against: first).matches == [[false]])
    }

    @Test func aKeyDecodesToTheNameAndLabelsItWasMadeOf() throws {
        let lines = ["a 1", #"a{x="1",y=""} 1"#, #"b{y="2",x="é\n\"\\"} 1"#]
        let decoded = try keys(lines).keys.map { key in key.bytes.withUnsafeBufferPointer { RawSeriesKey.decode($0) } }
        #expect(decoded.map(\.name) == ["a", "a", "b"])
        #expect(decoded.map { $0.labels.map(\.name) } == [[], ["x", "y"], ["y", "x"]])
        #expect(decoded.map { $0.labels.map(\.value) } == [[], ["1", ""], ["2", "é\n\"\\"]])
    }
}
