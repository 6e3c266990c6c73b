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
        let first = scrape(["x", "y"], at: 1_000)
        let labelsOf: SampleLabels = { EncodedLabels(first[$0].labels) }
        let bare = first.map { ScrapedSample(labels: nil, sample: $0.sample) }
        let stored = try store.appendScrape(target: "a:1", samples: bare, generation: store.seriesGeneration, timestamp: 1_000, labels: labelsOf)
        #expect(stored.seriesIDs.count == 2 && stored.seriesIDs[0] != stored.seriesIDs[1])
        // By id alone: the labels are not asked for (they would name another series).
        let byID = [ScrapedSample(labels: nil, id: stored.seriesIDs[1], sample: Sample(timestamp: 2_000, value: 5))]
        let elsewhere: SampleLabels = { _ in EncodedLabels(Labels(name: "elsewhere")) }
        #expect(
            try store.appendScrape(target: "b:1", samples: byID, generation: stored.generation, timestamp: 2_000, labels: elsewhere).seriesIDs == [
                stored.seriesIDs[1]
            ]
        )
        #expect(try samples(of: "y").map(\.value) == [1, 5])
        #expect(try samples(of: "elsewhere").isEmpty)
        // From another generation an id is not trusted: the sample's labels decide, or those the
        // caller builds when asked.
        let stale = [
            ScrapedSample(labels: Labels(name: "x", ["instance": "a:1"]), id: stored.seriesIDs[1], sample: Sample(timestamp: 3_000, value: 7)),
            ScrapedSample(labels: nil, id: stored.seriesIDs[0], sample: Sample(timestamp: 3_000, value: 8)),
        ]
        let again = try store.appendScrape(target: "b:1", samples: stale, generation: stored.generation + 1, timestamp: 3_000) { index in
            // Sample 0 has labels of its own: asked for it, this would file it elsewhere.
            EncodedLabels(index == 0 ? Labels(name: "elsewhere") : first[index].labels)
        }
        #expect(again.seriesIDs == [stored.seriesIDs[0], stored.seriesIDs[1]])
        #expect(try samples(of: "x").map(\.value) == [1, 7])
        #expect(try samples(of: "y").map(\.value) == [1, 5, 8])
        #expect(try samples(of: "elsewhere").isEmpty)
    }
}
