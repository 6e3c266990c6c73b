import Exposition
import Testing

@testable import Collector

/// A target's metadata lines from scrape to scrape: decoded again only when they change, and
/// always what the lines say (the last line of a kind winning per family).
@Suite struct MetadataLogTests {
    private struct Recorder: ExpositionVisitor {
        var log: MetadataLog
        mutating func visitSample(_ sample: SampleView) throws {}
        mutating func visitMetadata(_ metadata: MetadataView) throws { log.record(metadata) }
    }

    private func scrape(_ lines: [String], _ log: inout MetadataLog) throws -> [String: MetricMetadata] {
        log.begin()
        var recorder = Recorder(log: log)
        var parser = ExpositionParser(format: .prometheusText)
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        try body.withUnsafeBufferPointer { try parser.parse($0, into: &recorder) }
        log = recorder.log
        return log.finish()
    }

    @Test func eachScrapesMetadataIsWhatItsLinesSay() throws {
        var log = MetadataLog()
        let first = [
            "# HELP a_total Requests.", "# TYPE a_total counter", "a_total 1", "# TYPE b gauge", "# HELP b First.", "# HELP b Second.",
            "b 2", "# TYPE c untyped", "c 3",
        ]
        #expect(
            try scrape(first, &log) == [
                "a_total": MetricMetadata(type: "counter", help: "Requests."), "b": MetricMetadata(type: "gauge", help: "Second."),
                "c": MetricMetadata(type: "unknown"),
            ]
        )
        #expect(try scrape(first, &log) == scrape(first, &log), "an unchanged scrape gives the same metadata")
        let changed = ["# HELP a_total Requests served.", "# TYPE a_total counter", "a_total 1"]
        #expect(try scrape(changed, &log) == ["a_total": MetricMetadata(type: "counter", help: "Requests served.")])
        #expect(try scrape([], &log) == [:])
    }

    @Test func helpTextWithEscapesAndUnicodeRoundTrips() throws {
        var log = MetadataLog()
        let metadata = try scrape(["# HELP x Line one\\nline \\\\ two – ünïcode.", "x 1"], &log)
        #expect(metadata["x"]?.help == "Line one\nline \\ two – ünïcode.")
    }
}
