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

    @Test func seriesAddedCountsSeriesThePreviousScrapeLackedOnceAndNotThoseWithTheirOwnTimestamps() throws {
        #expect(try store.appendScrape(target: "a:1", samples: scrape(["x", "y"], at: 1_000), timestamp: 1_000).seriesAdded == 2)
        var next = scrape(["x", "z", "z"], at: 2_000)
        next[2].sample.timestamp = 1_999
        next.append(LabeledSample(labels: Labels(name: "own", ["instance": "a:1"]), sample: Sample(timestamp: 500, value: 1)))
        let result = try store.appendScrape(target: "a:1", samples: next, timestamp: 2_000)
        #expect(result.seriesAdded == 1)
        #expect(result.staleMarkers == 1)
        #expect(result.outOfOrder == 1)
    }

    @Test func samplesSentByTheirIdsLandInTheirSeriesAndStaleIdsFallBackToLabels() throws {
        let first = scrape(["x", "y"], at: 1_000).map { ScrapedSample(labels: $0.labels, sample: $0.sample) }
        let stored = try #require(try store.appendScrape(target: "a:1", samples: first, generation: store.seriesGeneration, timestamp: 1_000))
        #expect(stored.seriesIDs.count == 2 && stored.seriesIDs[0] != stored.seriesIDs[1])
        // By id alone.
        let byID = [ScrapedSample(labels: nil, id: stored.seriesIDs[1], sample: Sample(timestamp: 2_000, value: 5))]
        #expect(try store.appendScrape(target: "b:1", samples: byID, generation: stored.generation, timestamp: 2_000) != nil)
        #expect(try samples(of: "y").map(\.value) == [1, 5])
        // From another generation an id is not trusted: the labels decide, and without labels the
        // batch is refused whole, so the caller sends them.
        let stale = [
            ScrapedSample(labels: Labels(name: "x", ["instance": "a:1"]), id: stored.seriesIDs[1], sample: Sample(timestamp: 3_000, value: 7))
        ]
        let again = try store.appendScrape(target: "b:1", samples: stale, generation: stored.generation + 1, timestamp: 3_000)
        #expect(again?.seriesIDs == [stored.seriesIDs[0]])
        #expect(try samples(of: "x").map(\.value) == [1, 7])
        let bare = byID + [ScrapedSample(labels: Labels(name: "z"), sample: Sample(timestamp: 4_000, value: 1))]
        #expect(try store.appendScrape(target: "b:1", samples: bare, generation: stored.generation + 1, timestamp: 4_000) == nil)
        #expect(try samples(of: "z").isEmpty)
    }
}
