import TestSupport
import Testing

@testable import Store

@Suite struct StoreTests {
    private let directory: TemporaryDirectory
    private let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("ballast.db")
    }

    private func sample(
        _ name: String,
        _ labels: [String: String] = [:],
        _ time: Int64,
        _ value: Double
    )
        -> LabeledSample
    {
        LabeledSample(labels: Labels(name: name, labels), sample: Sample(timestamp: time, value: value))
    }

    private func sample(_ name: String, _ time: Int64, _ value: Double) -> LabeledSample {
        sample(name, [:], time, value)
    }

    @Test func appendedSamplesAreReadBackInTimeOrder() throws {
        let store = try Store(path: path)
        try store.append([sample("up", ["job": "a"], 1_000, 1), sample("up", ["job": "b"], 1_000, 0)])
        try store.append([sample("up", ["job": "a"], 2_000, 1)])
        let series = try store.series(matching: [LabelMatcher("job", .equal, "a")], from: 0, through: 10_000)
        #expect(series.count == 1)
        #expect(series.first?.labels == Labels(name: "up", ["job": "a"]))
        #expect(series.first?.samples == [Sample(timestamp: 1_000, value: 1), Sample(timestamp: 2_000, value: 1)])
    }

    @Test func duplicatesKeepTheFirstAndOlderSamplesAreRejected() throws {
        let store = try Store(path: path)
        try store.append([sample("m", 2_000, 1)])
        let result = try store.append([sample("m", 2_000, 99), sample("m", 1_000, 5), sample("m", 3_000, 3)])
        #expect(result == AppendResult(appended: 1, duplicates: 1, outOfOrder: 1))
        let samples = try store.series(matching: [], from: 0, through: 10_000).first?.samples
        #expect(samples == [Sample(timestamp: 2_000, value: 1), Sample(timestamp: 3_000, value: 3)])
    }

    @Test func outOfOrderIsJudgedAgainstCompactedChunksToo() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 4))
        try store.append((0..<8).map { sample("m", Int64($0) * 1_000, Double($0)) })
        try store.flushHead()
        #expect(try store.statistics().chunkCount == 2)
        let reopened = try Store(path: path, options: Store.Options(chunkSize: 4))
        let result = try reopened.append([sample("m", 7_000, 0), sample("m", 3_000, 0)])
        #expect(result == AppendResult(duplicates: 1, outOfOrder: 1))
    }

    @Test func fullChunksAndBlockBoundariesCutTheHeadIntoStoredChunksAndReadsMergeThem() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 3, blockRange: 4_000))
        try store.append((0..<10).map { sample("m", Int64($0) * 1_000, Double($0)) })
        // [0 1 2] full, [3] ends block 0, [4 5 6] full, [7] ends block 1: sealed in memory, so no
        // append pays for writing them; [8 9] stay open.
        #expect(try store.statistics().chunkCount == 0)
        let before = try store.series(matching: [], from: 2_000, through: 9_000).first?.samples ?? []
        #expect(try store.maintainHead(idleBefore: .min).chunksWritten == 4)
        let statistics = try store.statistics()
        #expect(statistics.chunkCount == 4)
        #expect(statistics.headSampleCount == 2)
        let samples = try store.series(matching: [], from: 2_000, through: 9_000).first?.samples ?? []
        #expect(samples == before)
        #expect(samples.map(\.timestamp) == [2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000])
        let reopened = try Store(path: path, options: Store.Options(chunkSize: 3, blockRange: 4_000), readOnly: true)
        #expect(try reopened.series(matching: [], from: .min, through: .max).first?.samples.map(\.value) == (0..<10).map(Double.init))
    }

    @Test func aSampleFromTheFutureIsRefusedAndLeavesLaterChunksWhole() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 4, futureTolerance: 10_000))
        let now: Int64 = 1_000_000
        let refused = try store.append([sample("m", now + 10_001, 1), sample("other", now + 3_600_000, 1)], now: now)
        #expect(refused == AppendResult(outOfBounds: 2))
        for step in 0..<8 {
            let time = now + Int64(step) * 1_000
            #expect(try store.append([sample("m", time, Double(step))], now: time).appended == 1)
        }
        #expect(try store.append([sample("m", now + 8_000 + 10_000, 9)], now: now + 8_000).appended == 1)
        try store.flushHead()
        // Three chunks: 4 + 4 samples from the regular appends, then the one at the bound.
        #expect(try store.statistics().chunkCount == 3)
        #expect(try store.series(matching: [], from: .min, through: .max).map(\.samples.count) == [9])
    }

    @Test func theHeadSurvivesReopeningWithStaleMarkersIntact() throws {
        do {
            let store = try Store(path: path)
            try store.append([sample("m", 1_000, 1), LabeledSample(labels: Labels(name: "m"), sample: .staleMarker(at: 2_000))])
        }
        let reopened = try Store(path: path, readOnly: true)
        let samples = try reopened.series(matching: [], from: 0, through: 5_000).first?.samples ?? []
        #expect(samples.count == 2)
        #expect(samples.last?.isStale == true)
    }

    @Test func theBlockRangeIsTheOneTheFileWasCreatedWith() throws {
        do {
            let store = try Store(path: path, options: Store.Options(chunkSize: 4, blockRange: 1_000))
            try store.append((0..<10).map { sample("m", Int64($0) * 500, 1) })
            try store.flushHead()
        }
        let reopened = try Store(path: path, options: Store.Options(blockRange: 7_200_000), readOnly: true)
        #expect(reopened.options.blockRange == 1_000)
        #expect(try reopened.series(matching: [], from: 0, through: 10_000).first?.samples.count == 10)
    }

    @Test func chunksNeverSpanTwoBlocks() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 100, blockRange: 10_000))
        try store.append((0..<26).map { sample("m", Int64($0) * 1_000, 1) })
        try store.flushHead()
        let statistics = try store.statistics()
        #expect(statistics.chunkCount == 3)
        #expect(statistics.headSampleCount == 0)
        #expect(try store.series(matching: [], from: 9_000, through: 10_000).first?.samples.count == 2)
    }

    /// The index compares label values byte for byte, as Prometheus: é as one scalar and as e
    /// with a combining accent are two values, even next to each other in its order.
    @Test func selectorsTellCanonicallyEquivalentLabelValuesApart() throws {
        let store = try Store(path: path)
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        for value in [composed, decomposed] {
            try store.append([LabeledSample(labels: Labels(name: "m", ["v": value]), sample: Sample(timestamp: 1_000, value: 1))])
        }
        func values(_ kind: LabelMatcher.Kind, _ value: String) throws -> [[UInt8]] {
            try store.series(matching: [LabelMatcher("v", kind, value)], from: .min, through: .max).map { Array(($0.labels["v"] ?? "").utf8) }
        }
        #expect(try values(.equal, composed) == [Array(composed.utf8)])
        #expect(try values(.notEqual, composed) == [Array(decomposed.utf8)])
        #expect(try values(.notEqual, decomposed) == [Array(composed.utf8)])
        #expect(try values(.regexMatch, "caf.*").count == 2)
    }

    @Test func aFlushPastItsDeadlineLeavesTheRestToHeadRowsTheNextStartReplaysOnce() throws {
        let options = Store.Options(chunkSize: 4)
        let times = (0..<6).map { Int64($0) * 1_000 }
        do {
            let store = try Store(path: path, options: options)
            try store.append((0..<5).flatMap { series in times.map { sample("m\(series)", $0, Double(series)) } })
            // Maintenance writes each series' full chunk of four samples; the open ones of two stay.
            #expect(try store.maintainHead(idleBefore: .min).chunksWritten == 5)
            // Time for one transaction of two series, then it stops.
            var transactions = 0
            #expect(
                try store.flushHead(seriesPerTransaction: 2) {
                    transactions += 1
                    return transactions == 1
                } == false
            )
            #expect(try store.statistics().chunkCount == 7)
        }
        let reopened = try Store(path: path, options: options)
        let series = try reopened.series(matching: [], from: .min, through: .max)
        #expect(series.count == 5)
        #expect(series.allSatisfy { $0.samples.map(\.timestamp) == times })
        #expect(try reopened.flushHead())
        // The three series left are written now; the two written before are not written again.
        #expect(try reopened.statistics().chunkCount == 10)
        #expect(try reopened.statistics().headSampleCount == 0)
        let written = try reopened.series(matching: [], from: .min, through: .max)
        #expect(written.map(\.labels) == series.map(\.labels) && written.map(\.samples) == series.map(\.samples))
    }

    @Test func maintenanceWritesIdleChunksAndDeletesTheHeadRowsTheyCover() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 5))
        for step in 0..<7 {
            try store.append([sample("a", Int64(step) * 1_000, 1), sample("b", Int64(step) * 1_000, 2)])
        }
        // Each series sealed one full chunk at its sixth sample; "b" then goes idle.
        #expect(try store.statistics().chunkCount == 0)
        try store.append([sample("a", 7_000, 1)])
        let result = try store.maintainHead(idleBefore: 6_500)
        // Two sealed chunks and b's idle open one; the 5 head rows before a's open chunk are covered.
        #expect(result == HeadMaintenanceResult(chunksWritten: 3, headRowsDeleted: 5))
        let statistics = try store.statistics()
        #expect(statistics.chunkCount == 3)
        #expect(statistics.headSeriesCount == 1)
        #expect(try store.series(matching: [], from: 0, through: 20_000).map(\.samples.count) == [8, 7])
        let reopened = try Store(path: path, options: Store.Options(chunkSize: 5), readOnly: true)
        #expect(try reopened.series(matching: [], from: 0, through: 20_000).map(\.samples.count) == [8, 7])
    }

    @Test func matchersUseTheInvertedIndexWithPrometheusEmptyLabelRules() throws {
        let store = try Store(path: path)
        try store.append([
            sample("http", ["code": "200", "job": "api"], 1, 1),
            sample("http", ["code": "500", "job": "api"], 1, 1),
            sample("http", ["code": "200"], 1, 1),
            sample("other", ["job": "api"], 1, 1),
        ])
        func count(_ matchers: [LabelMatcher]) throws -> Int {
            try store.series(matching: matchers, from: 0, through: 10).count
        }
        let name = try LabelMatcher("__name__", .equal, "http")
        #expect(try count([name]) == 3)
        #expect(try count([name, LabelMatcher("code", .regexMatch, "2..")]) == 2)
        #expect(try count([name, LabelMatcher("code", .notEqual, "200")]) == 1)
        #expect(try count([name, LabelMatcher("job", .equal, "")]) == 1)
        #expect(try count([name, LabelMatcher("job", .regexNoMatch, ".+")]) == 1)
        #expect(try count([name, LabelMatcher("job", .regexMatch, "api|")]) == 3)
        #expect(try count([LabelMatcher("job", .notEqual, "api")]) == 1)
        #expect(try count([LabelMatcher("__name__", .regexMatch, ".+")]) == 4)
        #expect(try count([name, LabelMatcher("missing", .equal, "x")]) == 0)
    }

    @Test func aReadOnlyStoreRefusesWrites() throws {
        _ = try Store(path: path)
        let store = try Store(path: path, readOnly: true)
        #expect(throws: StoreError.self) { try store.append([sample("m", 1, 1)]) }
    }

    @Test func aMissingFileIsAnErrorInReadOnlyMode() {
        #expect(throws: StoreError.self) { try Store(path: directory.file("absent.db"), readOnly: true) }
    }
}
