import Testing

@testable import Store

/// One series' head: the append rules and the size every series pays in memory.
@Suite struct HeadSeriesTests {
    @Test func aSampleNotNewerThanTheSeriesIsADuplicateOrOutOfOrderAndLeavesItUnchanged() {
        var series = HeadSeries()
        #expect(series.appendIfNewer(Sample(timestamp: 2_000, value: 1), chunkSize: 120, blockRange: 7_200_000) == .appended)
        #expect(series.appendIfNewer(Sample(timestamp: 2_000, value: 2), chunkSize: 120, blockRange: 7_200_000) == .duplicate)
        #expect(series.appendIfNewer(Sample(timestamp: 1_000, value: 3), chunkSize: 120, blockRange: 7_200_000) == .outOfOrder)
        series.noteStored(through: 5_000)
        #expect(series.appendIfNewer(Sample(timestamp: 4_000, value: 4), chunkSize: 120, blockRange: 7_200_000) == .outOfOrder)
        #expect(series.samples() == [Sample(timestamp: 2_000, value: 1)])
    }

    @Test func aFullChunkOrANewBlockSealsTheOpenChunk() {
        var series = HeadSeries()
        for second in 1..<7 { series.append(Sample(timestamp: Int64(second) * 1_000, value: 1), chunkSize: 3, blockRange: 3_000) }
        // Chunks of at most 3 samples, never across the 3 s blocks: [1 s, 2 s], [3 s, 4 s, 5 s], [6 s].
        #expect(series.sealed.map(\.count) == [2, 3])
        #expect(series.sealed.map(\.firstTimestamp) == [1_000, 3_000])
        #expect(series.open.count == 1 && series.open.firstTimestamp == 6_000)
        #expect(series.firstTimestamp == 1_000)
        #expect(series.samples().map(\.timestamp) == [1_000, 2_000, 3_000, 4_000, 5_000, 6_000])
        var negative = HeadSeries()
        for second in -3..<0 { negative.append(Sample(timestamp: Int64(second) * 1_000, value: 1), chunkSize: 120, blockRange: 7_200_000) }
        #expect(negative.firstTimestamp == -3_000 && negative.sealed.isEmpty)
    }

    /// The head map stores one of these per series (100,000 series: 6.4 MB at this size, 7.2 MB
    /// at the 72 bytes it had, 10.4 MB at 104), and a reader's view makes the writer copy shards.
    @Test func aHeadSeriesTakesAtMost64Bytes() {
        #expect(MemoryLayout<HeadSeries?>.stride <= 64)
    }
}
