extension Store {
    /// Whether the head holds samples of a block that is complete: it ended half a block before
    /// the newest sample, leaving room for late scrapes as Prometheus' head does.
    var headHasCompleteBlock: Bool {
        oldestHeadTimestamp < compactionCutoff
    }

    /// Samples before this time belong to complete blocks.
    var compactionCutoff: Int64 {
        guard newestTimestamp != .min else { return .min }
        return block(of: newestTimestamp - options.blockRange / 2) * options.blockRange
    }

    /// Moves the head's complete blocks (every block when `flushAll`, as on shutdown) into
    /// compressed chunks. The chunks are written in key order — block, then series — so they
    /// append to the end of the table and fill whole pages. One transaction, so a crash leaves
    /// either the old head or the new chunks, never both or neither.
    public func compact(flushAll: Bool = false) throws(StoreError) {
        try requireWritable()
        let cutoff = flushAll ? Int64.max : compactionCutoff
        guard oldestHeadTimestamp < cutoff else { return }
        var runs: [(block: Int64, id: Int64, samples: ArraySlice<Sample>)] = []
        var remaining: [Int64: [Sample]] = [:]
        for (id, samples) in head {
            let cut = samples.partitioningIndex { $0.timestamp >= cutoff }
            for run in chunkRuns(samples[..<cut]) { runs.append((run.block, id, run.samples)) }
            if cut < samples.count { remaining[id] = Array(samples[cut...]) }
        }
        runs.sort { ($0.block, $0.id, $0.samples.last!.timestamp) < ($1.block, $1.id, $1.samples.last!.timestamp) }
        try writeBatch { () throws(StoreError) -> Void in
            for run in runs { try writeChunk(seriesID: run.id, block: run.block, samples: run.samples) }
            if flushAll {
                try database.execute("DELETE FROM head")
            } else {
                try trimHeadRows(before: cutoff)
            }
        }
        head = remaining
        headCount = remaining.values.reduce(0) { $0 + $1.count }
        oldestHeadTimestamp = remaining.values.reduce(Int64.max) { min($0, $1.first?.timestamp ?? .max) }
    }
}

extension Array where Element == Sample {
    /// The index of the first sample satisfying `predicate`, which must be false then true
    /// along the array (samples are in time order).
    fileprivate func partitioningIndex(where predicate: (Sample) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
