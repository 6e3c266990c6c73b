import TestSupport
import Testing

@testable import Store

@Suite struct HeadBatchTests {
    @Test func entriesRoundTripWithExactValueBits() {
        let entries = [
            HeadBatch.Entry(series: 1, sample: Sample(timestamp: 1_700_000_000_000, value: 0.1)),
            HeadBatch.Entry(series: 300, sample: .staleMarker(at: 1_700_000_000_000)),
            HeadBatch.Entry(series: 2, sample: Sample(timestamp: 1_699_999_999_000, value: -.infinity)),
            HeadBatch.Entry(series: Int64.max, sample: Sample(timestamp: -5, value: .nan)),
        ]
        let decoded = HeadBatch.decode(HeadBatch.encode(entries))
        #expect(decoded?.map(\.series) == entries.map(\.series))
        #expect(decoded?.map(\.sample.timestamp) == entries.map(\.sample.timestamp))
        #expect(decoded?.map(\.sample.value.bitPattern) == entries.map(\.sample.value.bitPattern))
    }

    @Test func oneScrapeCostsAboutElevenBytesASample() {
        let entries = (0..<1_000).map { HeadBatch.Entry(series: Int64($0), sample: Sample(timestamp: 1_700_000_000_000, value: 1)) }
        #expect(HeadBatch.encode(entries).count < 12 * entries.count)
    }

    @Test func truncatedRowsAreRejected() {
        let bytes = HeadBatch.encode([HeadBatch.Entry(series: 7, sample: Sample(timestamp: 1, value: 2))])
        #expect(HeadBatch.decode(Array(bytes.dropLast())) == nil)
        #expect(HeadBatch.decode([]) == [])
    }

    @Test func aBatchCutByRetentionKeepsItsNewerSamplesAcrossReopening() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ballast.db")
        do {
            let store = try Store(path: path)
            try store.append([
                LabeledSample(labels: Labels(name: "a"), sample: Sample(timestamp: 1_000, value: 1)),
                LabeledSample(labels: Labels(name: "b"), sample: Sample(timestamp: 5_000, value: 2)),
            ])
            try store.append([LabeledSample(labels: Labels(name: "b"), sample: Sample(timestamp: 6_000, value: 3))])
            #expect(try store.deleteData(before: 3_000).headSamplesDeleted == 1)
        }
        let reopened = try Store(path: path, readOnly: true)
        let series = try reopened.series(matching: [], from: .min, through: .max)
        #expect(series.map(\.labels) == [Labels(name: "b")])
        #expect(series.first?.samples.map(\.timestamp) == [5_000, 6_000])
    }
}
