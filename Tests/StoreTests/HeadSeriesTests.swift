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
        for second in 0..<5 { series.append(Sample(timestamp: Int64(second) * 1_000, value: 1), chunkSize: 2, blockRange: 3_000) }
        // Chunks of at most 2 samples, never across the 3 s blocks: [0, 1 s], [2 s], [3 s, 4 s].
        #expect(series.sealed.map(\.count) == [2, 1])
        #expect(series.open.count == 2)
        #expect(series.firstTimestamp == 0)
        #expect(series.samples().count == 5)
    }

    /// The head map stores one of these per series (100,000 series: 6.4 MB at this size, 7.3 at
    /// the 72 bytes it had and 27 at 104), and a reader's view makes the writer copy the map.
    @Test func aHeadSeriesTakesAtMost64Bytes() {
        #expect(MemoryLayout<HeadSeries?>.stride <= 64)
    }
}
