import TestSupport
import Testing

@testable import Store

@Suite struct StoreStalenessTests {
    private let directory: TemporaryDirectory
    private let store: Store

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("ballast.db"))
    }

    private func scrape(_ names: [String], at time: Int64) -> [LabeledSample] {
        names.map { LabeledSample(labels: Labels(name: $0, ["instance": "a:1"]), sample: Sample(timestamp: time, value: 1)) }
    }

    private func samples(of name: String) throws -> [Sample] {
        try store.series(matching: [LabelMatcher("__name__", .equal, name)], from: 0, through: .max).first?.samples ?? []
    }

    @Test func aSeriesMissingFromTheNextScrapeGetsAStaleMarkerAtThatScrape() throws {
        try store.appendScrape(target: "a:1", samples: scrape(["x", "y"], at: 1_000), timestamp: 1_000)
        let result = try store.appendScrape(target: "a:1", samples: scrape(["x"], at: 2_000), timestamp: 2_000)
        #expect(result == AppendResult(appended: 1, staleMarkers: 1))
        let y = try samples(of: "y")
        #expect(y.count == 2)
        #expect(y.last?.timestamp == 2_000)
        #expect(y.last?.isStale == true)
        #expect(try samples(of: "x").allSatisfy { !$0.isStale })
        #expect(try store.seriesOfTarget("a:1") == [Labels(name: "x", ["instance": "a:1"])])
    }

    @Test func aFailedScrapeMarksEverySeriesOfTheTargetStaleOnce() throws {
        try store.appendScrape(target: "a:1", samples: scrape(["x", "y"], at: 1_000), timestamp: 1_000)
        #expect(try store.markTargetDown("a:1", at: 2_000).staleMarkers == 2)
        #expect(try store.markTargetDown("a:1", at: 3_000).staleMarkers == 0)
        #expect(try samples(of: "x").last == nil || samples(of: "x").last!.isStale)
    }

    @Test func targetsAreTrackedIndependently() throws {
        try store.appendScrape(target: "a:1", samples: scrape(["x"], at: 1_000), timestamp: 1_000)
        let other = [LabeledSample(labels: Labels(name: "z"), sample: Sample(timestamp: 1_500, value: 1))]
        #expect(try store.appendScrape(target: "b:1", samples: other, timestamp: 1_500).staleMarkers == 0)
        #expect(try store.appendScrape(target: "b:1", samples: [], timestamp: 2_500).staleMarkers == 1)
        #expect(try samples(of: "x").allSatisfy { !$0.isStale })
    }
}
