extension Store {
    /// Deletes what is older than `cutoff` (ms): every chunk block that ends by then (as
    /// Prometheus drops whole blocks; the block holding `cutoff` is kept, reads filter by time
    /// anyway), head series and head rows whose samples all precede it, rollup buckets and
    /// decisions before it, and series left with nothing. One transaction.
    @discardableResult
    package func deleteData(before cutoff: Int64) throws(StoreError) -> RetentionResult {
        try requireWritable()
        var result = RetentionResult()
        try writeBatch { () throws(StoreError) -> Void in
            for entry in head where (entry.series.lastTimestamp ?? .min) < cutoff {
                result.headSamplesDeleted += entry.series.open.count
                head[entry.id] = nil
            }
            try database.prepare("DELETE FROM head WHERE max_t < ?").reset(.integer(cutoff)).run()
            let ids = try allSeriesIDs()
            let firstKeptBlock = block(of: cutoff)
            try database.prepare("DELETE FROM chunks WHERE block < ?").reset(.integer(firstKeptBlock)).run()
            result.chunksDeleted = database.changes
            let blockStart = firstKeptBlock * options.blockRange
            try database.prepare("UPDATE series SET min_t = NULL, max_t = NULL WHERE max_t < ?1")
                .reset(.integer(blockStart)).run()
            try database.prepare("UPDATE series SET min_t = ?1 WHERE min_t < ?1").reset(.integer(blockStart)).run()
            try database.prepare("DELETE FROM rollups WHERE t < ?").reset(.integer(cutoff)).run()
            try database.prepare("DELETE FROM decisions WHERE t < ?").reset(.integer(cutoff)).run()
            result.decisionsDeleted = database.changes
            let hasData = try database.prepare(
                "SELECT EXISTS (SELECT 1 FROM series WHERE id = ?1 AND max_t IS NOT NULL) OR EXISTS (SELECT 1 FROM rollups WHERE resolution = \(RollupResolution.hour.milliseconds) AND series_id = ?1)"
            )
            let deleteSeries = try database.prepare("DELETE FROM series WHERE id = ?")
            let deletePostings = try database.prepare("DELETE FROM postings WHERE name = ? AND value = ? AND series_id = ?")
            for id in ids where head[id] == nil {
                guard try hasData.reset(.integer(id)).singleInt64() == 0 else { continue }
                if let labels = try index.labels(of: id) {
                    for pair in labels.pairs {
                        try deletePostings.reset(.text(pair.name), .text(pair.value), .integer(id)).run()
                    }
                }
                try deleteSeries.reset(.integer(id)).run()
                result.seriesDeleted += 1
            }
            if result.seriesDeleted > 0 {
                for (target, ids) in targetSeries {
                    targetSeries[target] = ids.filter { head[$0] != nil }
                }
            }
        }
        lastTimestamps.removeAll(keepingCapacity: true)
        if result.seriesDeleted > 0 {
            index.forgetCache()
            seriesGeneration += 1
            shared.withLock { $0.seriesGeneration += 1 }
        }
        return result
    }

    /// Deletes the oldest chunk blocks, one at a time, while the data in the file (its pages
    /// less the free ones) exceeds `bytes`; the newest block is always kept. Returns the blocks
    /// deleted. Size-based retention, as Prometheus' `--storage.tsdb.retention.size`.
    @discardableResult
    package func deleteOldestBlocks(whileLargerThan bytes: Int) throws(StoreError) -> Int {
        try requireWritable()
        var deleted = 0
        while try usedBytes() > bytes {
            let range = try database.prepare("SELECT min(block), max(block) FROM chunks")
            guard try range.step(), !range.isNull(0), range.int64(0) < range.int64(1) else { break }
            let oldest = range.int64(0)
            range.reset()
            try deleteData(before: (oldest + 1) * options.blockRange)
            deleted += 1
        }
        return deleted
    }

    /// Bytes of the file in use (pages less free pages).
    func usedBytes() throws(StoreError) -> Int {
        Int(
            try database.prepare(
                "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()"
            ).singleInt64() ?? 0
        )
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
package struct RetentionResult: Sendable, Equatable {
    package var chunksDeleted = 0
    package var headSamplesDeleted = 0
    package var seriesDeleted = 0
    package var decisionsDeleted = 0

    /// Counts of what a pass removed (tests compare whole results).
    package init(chunksDeleted: Int = 0, headSamplesDeleted: Int = 0, seriesDeleted: Int = 0, decisionsDeleted: Int = 0) {
        self.chunksDeleted = chunksDeleted
        self.headSamplesDeleted = headSamplesDeleted
        self.seriesDeleted = seriesDeleted
        self.decisionsDeleted = decisionsDeleted
    }
}
