import Testing

@testable import Store

/// The head's map: series by id, kept in shards of consecutive ids so a reader's copy costs the
/// writer only the shards it touches.
@Suite struct HeadMapTests {
    private func series(_ timestamp: Int64) -> HeadSeries {
        var series = HeadSeries()
        series.append(Sample(timestamp: timestamp, value: 1), chunkSize: 120, blockRange: 7_200_000)
        return series
    }

    @Test func setGetRemoveAndCountLikeADictionaryForAnyId() {
        var map = HeadMap()
        let ids: [Int64] = [1, 511, 512, 100_000, -7, Int64.max]
        for id in ids { map[id] = series(id % 1_000) }
        #expect(map.count == ids.count)
        #expect(Set(map.map(\.id)) == Set(ids))
        #expect(map[100_000]?.lastTimestamp == Int64(0))
        #expect(map[511]?.lastTimestamp == Int64(511))
        map[512] = nil
        map[512] = nil
        map[99] = nil
        #expect(map.count == ids.count - 1)
        #expect(map[512] == nil)
        map.removeAll()
        #expect(map.isEmpty && map.map(\.id).isEmpty)
    }

    @Test func updateChangesASeriesInPlaceAndLeavesACopyAsItWas() {
        var map = HeadMap()
        map[3] = series(1_000)
        map[-3] = series(1_000)
        let copy = map
        #expect(map.update(3) { $0.appendIfNewer(Sample(timestamp: 2_000, value: 2), chunkSize: 120, blockRange: 7_200_000) } == .appended)
        #expect(map.update(-3) { $0.appendIfNewer(Sample(timestamp: 500, value: 2), chunkSize: 120, blockRange: 7_200_000) } == .outOfOrder)
        #expect(map.update(4) { _ in true } == nil)
        #expect(map[3]?.sampleCount == 2)
        #expect(copy[3]?.sampleCount == 1)
    }

    @Test func iterationIsInIdOrderThenTheOutliersAndAnEmptiedShardCanBeFilledAgain() {
        var map = HeadMap()
        for id: Int64 in [2_000, 5, 513, -1, 0, 1_023] { map[id] = series(id) }
        #expect(map.map(\.id) == [0, 5, 513, 1_023, 2_000, -1])
        map[2_000] = nil
        #expect(map[2_000] == nil && map.count == 5)
        map[2_001] = series(1)
        #expect(map.map(\.id) == [0, 5, 513, 1_023, 2_001, -1])
    }
}
