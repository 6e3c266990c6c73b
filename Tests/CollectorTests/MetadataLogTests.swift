import Exposition
import Testing

@testable import Collector

/// A target's metadata lines from scrape to scrape: decoded again only when they change, and
/// always what the lines say (the last line of a kind winning per family); targets sending the
/// same lines share one decoded log.
@Suite struct MetadataLogTests {
    private struct Recorder: ExpositionVisitor {
        var log: MetadataLog
        mutating func visitSample(_ sample: SampleView) throws {}
        mutating func visitMetadata(_ metadata: MetadataView) throws { log.record(metadata) }
    }

    private let library = MetadataLibrary()

    private func scrape(_ lines: [String], _ log: inout MetadataLog) throws -> [String: MetricMetadata] {
        log.begin()
        var recorder = Recorder(log: log)
        var parser = ExpositionParser(format: .prometheusText)
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        try body.withUnsafeBufferPointer { try parser.parse($0, into: &recorder) }
        log = recorder.log
        return log.finish(sharing: library)
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

    @Test func aScrapeEndingEarlierOrGoingFurtherChangesTheMetadata() throws {
        var log = MetadataLog()
        let full = ["# TYPE a gauge", "a 1", "# TYPE b gauge", "b 2"]
        _ = try scrape(full, &log)
        #expect(try scrape(Array(full.prefix(2)), &log) == ["a": MetricMetadata(type: "gauge")])
        #expect(try scrape(full, &log) == ["a": MetricMetadata(type: "gauge"), "b": MetricMetadata(type: "gauge")])
    }

    @Test func targetsSendingTheSameLinesShareOneLog() throws {
        var (first, second) = (MetadataLog(), MetadataLog())
        let lines = ["# HELP a Shared.", "# TYPE a gauge", "a 1"]
        #expect(try scrape(lines, &first) == scrape(lines, &second))
        #expect(library.count == 1)
        let held = library.shared([])
        #expect(library.shared([]) === held, "a log held is decoded once")
    }

    @Test func logsNoTargetHoldsAreDroppedAndHeldOnesKept() throws {
        var (held, changing) = (MetadataLog(), MetadataLog())
        let kept = ["# HELP kept Held by one target.", "kept 1"]
        _ = try scrape(kept, &held)
        for round in 0..<40 { _ = try scrape(["# HELP x Round \(round).", "x 1"], &changing) }
        #expect(library.count <= 16, "logs replaced by newer ones are dropped")
        let count = library.count
        var another = MetadataLog()
        #expect(try scrape(kept, &another)["kept"]?.help == "Held by one target.")
        #expect(library.count == count, "the held log was kept and is shared")
    }
}
