import Exposition
import Store
import Testing

@testable import Collector

/// The scrape loop's series cache: it holds the series of the last successful scrape, so its
/// misses are `scrape_series_added`, and it hands the store the ids it learnt.
@Suite struct SeriesCacheTests {
    /// Runs one scrape of `lines` through the cache as the scrape loop does; returns the ids
    /// given to the store (nil: the store asks for the labels) and the series added.
    private func ingest(_ lines: [String], into cache: inout SeriesCache) throws -> (ids: [Int64?], added: Int) {
        cache.beginScrape()
        var ingest = ScrapeIngest(timestamp: 1_000, expectedSamples: cache.count)
        swap(&ingest.cache, &cache)
        var parser = ExpositionParser(format: .prometheusText)
        let body = lines.isEmpty ? [] : Array((lines.joined(separator: "\n") + "\n").utf8)
        ingest.cache.lastBodySize = body.count
        try body.withUnsafeBufferPointer { try parser.parse($0, into: &ingest) }
        swap(&ingest.cache, &cache)
        return (ingest.samples.map(\.id), ingest.seriesAdded)
    }

    private func stored(_ ids: [Int64], generation: Int = 0) -> ScrapeAppend {
        ScrapeAppend(result: AppendResult(), seriesIDs: ids, generation: generation)
    }

    @Test func aSeriesIsAddedOnceAndThenSentByTheIdTheStoreGaveIt() throws {
        var cache = SeriesCache()
        let first = try ingest(["a 1", "b 2", "a 3"], into: &cache)
        #expect(first.ids == [nil, nil, nil])
        #expect(first.added == 2)
        cache.stored(stored([10, 11, 10, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        let second = try ingest(["a 1", "b 2"], into: &cache)
        #expect(second.ids == [10, 11])
        #expect(second.added == 0)
        #expect(cache.reportIDs == [90])
    }

    @Test func aSuccessfulScrapeForgetsTheSeriesItLacked() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1", "b 2"], into: &cache)
        cache.endScrape(succeeded: true)
        _ = try ingest(["a 1"], into: &cache)
        cache.endScrape(succeeded: true)
        #expect(cache.count == 1)
        #expect(try ingest(["a 1", "b 2"], into: &cache).added == 1)
    }

    @Test func aSuccessfulEmptyScrapeForgetsNothing() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1", "b 2"], into: &cache)
        cache.endScrape(succeeded: true)
        #expect(try ingest([], into: &cache).added == 0)
        cache.endScrape(succeeded: true)
        #expect(cache.count == 2)
        #expect(try ingest(["a 1", "b 2"], into: &cache).added == 0)
    }

    @Test func aFailedScrapeForgetsOnlyTheSeriesItIntroducedAndLearnsNoIds() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1"], into: &cache)
        cache.endScrape(succeeded: true)
        _ = try ingest(["a 1", "c 3"], into: &cache)
        // The failed scrape stored only its report series: their ids must not land on a or c.
        cache.stored(stored([90]), reportCount: 1, samplesStored: false)
        cache.endScrape(succeeded: false)
        #expect(cache.count == 1)
        let next = try ingest(["a 1", "c 3"], into: &cache)
        #expect(next.ids == [nil, nil])
        #expect(next.added == 1)
    }

    @Test func anotherSeriesGenerationReplacesEveryKnownId() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1", "b 2"], into: &cache)
        cache.stored(stored([10, 11, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        #expect(try ingest(["a 1", "b 2"], into: &cache).ids == [10, 11])
        // Retention deleted series: the store resolved every sample by its labels and answers
        // in a new generation, whose ids replace all the old ones.
        cache.stored(stored([12, 13, 91], generation: 1), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        #expect(try ingest(["b 2", "a 1"], into: &cache).ids == [13, 12])
        #expect(cache.generation == 1)
        #expect(cache.reportIDs == [91])
    }

    @Test func eachSampleIsLabelledFromItsSeriesKeyWithTheTargetsLabels() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1"], into: &cache)
        cache.stored(stored([10, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        _ = try ingest([#"b{job="x",path="/é"} 2"#, "a 1", #"b{job="x",path="/é"} 3"#], into: &cache)
        let labels = cache.labels(by: TargetLabeling(["job": "j", "instance": "i:1"]))
        let b = Labels(name: "b", ["job": "j", "instance": "i:1", "exported_job": "x", "path": "/é"])
        #expect((0..<3).map { labels($0).decoded } == [b, Labels(name: "a", ["job": "j", "instance": "i:1"]), b])
    }

    @Test func seriesReorderedOrReplacedBetweenScrapesKeepTheirOwnIds() throws {
        var cache = SeriesCache()
        _ = try ingest(["a 1", "b 2", "c 3"], into: &cache)
        cache.stored(stored([10, 11, 12, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        // Reordered, and a series replaced at the position another had.
        let next = try ingest(["c 3", "a 1", "d 4", "b 2"], into: &cache)
        #expect(next.ids == [12, 10, nil, 11])
        #expect(next.added == 1)
        cache.stored(stored([12, 10, 13, 11, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        // b leaves and e takes its freed place in the cache; the order guess must not give e b's id.
        let third = try ingest(["c 3", "a 1", "d 4"], into: &cache)
        #expect(third.ids == [12, 10, 13])
        cache.stored(stored([12, 10, 13, 90]), reportCount: 1, samplesStored: true)
        cache.endScrape(succeeded: true)
        let fourth = try ingest(["c 3", "a 1", "d 4", "e 5", "b 2"], into: &cache)
        #expect(fourth.ids == [12, 10, 13, nil, nil])
        #expect(fourth.added == 2)
        #expect(cache.count == 5)
    }
}
