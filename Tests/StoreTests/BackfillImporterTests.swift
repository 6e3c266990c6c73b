import TestSupport
import Testing

@testable import Store

@Suite struct BackfillImporterTests {
    private let directory: TemporaryDirectory
    private let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("ballast.db")
    }

    private func allSamples(_ store: Store) throws -> [Labels: [Sample]] {
        var result: [Labels: [Sample]] = [:]
        for series in try store.series(matching: [], from: .min, through: .max) { result[series.labels] = series.samples }
        return result
    }

    @Test func samplesInAnyOrderLandInFullSortedChunks() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 10))
        let importer = try BackfillImporter(store: store, batchSize: 7)
        let a = Labels(name: "a")
        let b = Labels(name: "b", ["k": "v"])
        for time in (0..<45).reversed() {
            try importer.add(a, Sample(timestamp: Int64(time) * 1_000, value: Double(time)))
            try importer.add(b, Sample(timestamp: Int64(time) * 500, value: -Double(time)))
        }
        #expect(try importer.finish() == AppendResult(appended: 90))
        let stored = try allSamples(store)
        #expect(stored[a]?.map(\.timestamp) == (0..<45).map { Int64($0) * 1_000 })
        #expect(stored[b]?.map(\.value) == (0..<45).map { -Double($0) })
        #expect(try store.statistics().headSampleCount == 0)
    }

    @Test func reImportingSkipsWhatIsStoredAndCompletesWhatIsMissing() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 8))
        let labels = Labels(name: "m")
        let first = try BackfillImporter(store: store)
        for time in 0..<20 { try first.add(labels, Sample(timestamp: Int64(time), value: 1)) }
        try first.finish()
        let again = try BackfillImporter(store: store)
        for time in 0..<30 { try again.add(labels, Sample(timestamp: Int64(time), value: 2)) }
        #expect(try again.finish() == AppendResult(appended: 10, duplicates: 20))
        let samples = try allSamples(store)[labels] ?? []
        #expect(samples.map(\.timestamp) == (0..<30).map(Int64.init))
        #expect(samples.prefix(20).allSatisfy { $0.value == 1 })
    }

    @Test func chunksAreCutAtBlockBoundariesAndRangesReadAcrossThem() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 120, blockRange: 1_000))
        let importer = try BackfillImporter(store: store)
        for time in stride(from: Int64(0), to: 3_500, by: 100) {
            try importer.add(Labels(name: "m"), Sample(timestamp: time, value: Double(time)))
        }
        #expect(try importer.finish() == AppendResult(appended: 35))
        #expect(try store.statistics().chunkCount == 4)
        let middle = try store.series(matching: [], from: 950, through: 2_050).first?.samples.map(\.timestamp)
        #expect(middle == Array(stride(from: Int64(1_000), through: 2_000, by: 100)))
    }

    @Test func duplicatesInsideOneImportKeepTheFirst() throws {
        let store = try Store(path: path)
        let importer = try BackfillImporter(store: store)
        try importer.add(Labels(name: "m"), Sample(timestamp: 5, value: 1))
        try importer.add(Labels(name: "m"), Sample(timestamp: 5, value: 2))
        #expect(try importer.finish() == AppendResult(appended: 1, duplicates: 1))
        #expect(try allSamples(store)[Labels(name: "m")] == [Sample(timestamp: 5, value: 1)])
    }

    @Test func backfillBetweenHeadSamplesIsMergedAndHeadTimestampsAreNotDoubled() throws {
        let store = try Store(path: path)
        let labels = Labels(name: "m")
        try store.append([LabeledSample(labels: labels, sample: Sample(timestamp: 10, value: 1))])
        let importer = try BackfillImporter(store: store)
        for time in [5, 10, 15] { try importer.add(labels, Sample(timestamp: Int64(time), value: 9)) }
        #expect(try importer.finish() == AppendResult(appended: 2, duplicates: 1))
        #expect(try allSamples(store)[labels]?.map(\.timestamp) == [5, 10, 15])
        #expect(try store.append([LabeledSample(labels: labels, sample: Sample(timestamp: 12, value: 1))]).outOfOrder == 1)
    }

    @Test func anAbandonedImportKeepsOnlyCommittedBatches() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 4))
        let importer = try BackfillImporter(store: store, batchSize: 8)
        for time in 0..<10 { try importer.add(Labels(name: "m"), Sample(timestamp: Int64(time), value: 1)) }
        importer.abandon()
        let stored = try allSamples(store)[Labels(name: "m")] ?? []
        #expect(stored.map(\.timestamp) == (0..<4).map(Int64.init))
    }
}
