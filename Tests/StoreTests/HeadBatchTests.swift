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

    @Test func wholeNumbersNegativeZeroAndHugeValuesKeepTheirBits() {
        let values: [Double] = [0, -0.0, 1, -1, 1e15, -9_007_199_254_740_991, 9_007_199_254_740_992, 1e300, .infinity, 0.5, .ulpOfOne]
        let entries = values.enumerated().map {
            HeadBatch.Entry(series: Int64(10 - $0.offset), sample: Sample(timestamp: Int64($0.offset % 3), value: $0.element))
        }
        let decoded = HeadBatch.decode(HeadBatch.encode(entries))
        #expect(decoded?.map(\.sample.value.bitPattern) == values.map(\.bitPattern))
        #expect(decoded?.map(\.series) == entries.map(\.series))
        #expect(decoded?.map(\.sample.timestamp) == entries.map(\.sample.timestamp))
    }

    @Test func aScrapeOfWholeNumbersCostsUnderFourBytesASample() {
        let entries = (0..<500).map {
            HeadBatch.Entry(series: 1_000 + Int64($0), sample: Sample(timestamp: 1_700_000_000_000, value: Double(1_000 + $0 * 7)))
        }
        #expect(HeadBatch.encode(entries).count < 4 * entries.count)
    }

    @Test func truncatedRowsAndTrailingBytesAreRejected() {
        let bytes = HeadBatch.encode([HeadBatch.Entry(series: 7, sample: Sample(timestamp: 1, value: 2.5))])
        #expect(HeadBatch.decode(Array(bytes.dropLast())) == nil)
        #expect(HeadBatch.decode(bytes + [0]) == nil)
        #expect(HeadBatch.decode([]) == [])
    }

    @Test func aDatabaseWithFormatOneHeadRowsIsUpgradedWhenOpenedForWriting() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ballast.db")
        do {
            let store = try Store(path: path)
            try store.append([LabeledSample(labels: Labels(name: "a"), sample: Sample(timestamp: 1_000, value: 0.25))])
            // Rewrite the file as an older Ballast left it: format 1 rows, no `head_format`.
            // Series 1, timestamp delta 1,000 (zig-zag 2,000 as a uvarint), the value's 8 bytes.
            let format1: [UInt8] = [1, 0xd0, 0x0f] + withUnsafeBytes(of: (0.25).bitPattern.bigEndian) { Array($0) }
            try store.database.execute("DELETE FROM meta WHERE key = 'head_format'")
            try store.database.prepare("UPDATE head SET data = ?").reset(.blob(format1)).run()
        }
        let reader = try Store(path: path, readOnly: true)
        #expect(try reader.series(matching: [], from: .min, through: .max).first?.samples == [Sample(timestamp: 1_000, value: 0.25)])
        let writer = try Store(path: path)
        #expect(writer.headFormat == HeadBatch.currentFormat)
        #expect(try writer.series(matching: [], from: .min, through: .max).first?.samples == [Sample(timestamp: 1_000, value: 0.25)])
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

    /// A head row can outlive a series retention deleted (the row also holds newer samples of
    /// live series). Neither a restart nor a new series may take up its samples: ids are never
    /// handed out twice, and replay skips series that no longer exist.
    @Test func aDeletedSeriesLeftInAHeadRowIsNotReplayedIntoAnotherSeries() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ballast.db")
        do {
            let store = try Store(path: path)
            try store.append([
                LabeledSample(labels: Labels(name: "b"), sample: Sample(timestamp: 500, value: 1)),
                LabeledSample(labels: Labels(name: "old"), sample: Sample(timestamp: 1_000, value: 4_242)),
                LabeledSample(labels: Labels(name: "b"), sample: Sample(timestamp: 5_000, value: 2)),
            ])
            let deleted = try store.deleteData(before: 3_000)
            #expect(deleted.seriesDeleted == 1)
            try store.append([LabeledSample(labels: Labels(name: "new"), sample: Sample(timestamp: 6_000, value: 7))])
        }
        for readOnly in [true, false] {
            let reopened = try Store(path: path, readOnly: readOnly)
            let series = try reopened.series(matching: [], from: .min, through: .max)
            #expect(Set(series.map(\.labels)) == [Labels(name: "b"), Labels(name: "new")])
            #expect(series.first { $0.labels == Labels(name: "new") }?.samples == [Sample(timestamp: 6_000, value: 7)])
        }
    }
}
