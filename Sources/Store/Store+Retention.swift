extension Store {
    /// Deletes what is older than `cutoff` (ms): every chunk block that ends by then (as
    /// Prometheus drops whole blocks; the block holding `cutoff` is kept, reads filter by time
    /// anyway), head samples and rollup buckets before it, and series left with nothing.
    /// One transaction.
    @discardableResult
    public func deleteData(before cutoff: Int64) throws(StoreError) -> RetentionResult {
        try requireWritable()
        var result = RetentionResult()
        var keptHead = head
        for (id, samples) in head {
            let kept = samples.filter { $0.timestamp >= cutoff }
            result.headSamplesDeleted += samples.count - kept.count
            keptHead[id] = kept.isEmpty ? nil : kept
        }
        try writeBatch { () throws(StoreError) -> Void in
            let ids = try allSeriesIDs()
            let firstKeptBlock = block(of: cutoff)
            try database.prepare("DELETE FROM chunks WHERE block < ?").reset(.integer(firstKeptBlock)).run()
            result.chunksDeleted = database.changes
            let blockStart = firstKeptBlock * options.blockRange
            try database.prepare("UPDATE series SET min_t = NULL, max_t = NULL WHERE max_t < ?1")
                .reset(.integer(blockStart)).run()
            try database.prepare("UPDATE series SET min_t = ?1 WHERE min_t < ?1").reset(.integer(blockStart)).run()
            let deleteRollups = try database.prepare("DELETE FROM rollups WHERE resolution = ? AND series_id = ? AND t < ?")
            for id in ids {
                for resolution in RollupResolution.allCases {
                    try deleteRollups.reset(.integer(resolution.milliseconds), .integer(id), .integer(cutoff)).run()
                }
            }
            if result.headSamplesDeleted > 0 {
                try trimHeadRows(before: cutoff)
            }
            let hasData = try database.prepare(
                "SELECT EXISTS (SELECT 1 FROM series WHERE id = ?1 AND max_t IS NOT NULL) OR EXISTS (SELECT 1 FROM rollups WHERE resolution = \(RollupResolution.hour.milliseconds) AND series_id = ?1)"
            )
            let deleteSeries = try database.prepare("DELETE FROM series WHERE id = ?")
            let deletePostings = try database.prepare("DELETE FROM postings WHERE name = ? AND value = ? AND series_id = ?")
            for id in ids where keptHead[id] == nil {
                guard try hasData.reset(.integer(id)).singleInt64() == 0 else { continue }
                if let labels = try index.labels(of: id) {
                    for pair in labels.pairs {
                        try deletePostings.reset(.text(pair.name), .text(pair.value), .integer(id)).run()
                    }
                }
                try deleteSeries.reset(.integer(id)).run()
                result.seriesDeleted += 1
            }
        }
        head = keptHead
        headCount = keptHead.values.reduce(0) { $0 + $1.count }
        oldestHeadTimestamp = keptHead.values.reduce(Int64.max) { min($0, $1.first?.timestamp ?? .max) }
        lastTimestamps.removeAll(keepingCapacity: true)
        if result.seriesDeleted > 0 {
            index.forgetCache()
            for (target, ids) in targetSeries {
                targetSeries[target] = ids.filter { keptHead[$0] != nil }
            }
        }
        return result
    }

    /// Every series id, ascending.
    func allSeriesIDs() throws(StoreError) -> [Int64] {
        let statement = try database.prepare("SELECT id FROM series ORDER BY id")
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(0)) }
        return ids
    }
}

/// What a retention pass removed.
public struct RetentionResult: Sendable, Equatable {
    public var chunksDeleted = 0
    public var headSamplesDeleted = 0
    public var seriesDeleted = 0

    /// Counts of what a pass removed (tests compare whole results).
    public init(chunksDeleted: Int = 0, headSamplesDeleted: Int = 0, seriesDeleted: Int = 0) {
        self.chunksDeleted = chunksDeleted
        self.headSamplesDeleted = headSamplesDeleted
        self.seriesDeleted = seriesDeleted
    }
}
