extension Store {
    /// Writes to storage the sealed chunks of at most `limit` series, and the open chunks whose
    /// newest sample is older than `idleBefore` (ms): those series stopped (a target went away,
    /// a stale marker ended them), so nothing will fill them. Then deletes the head rows whose
    /// samples are all in stored chunks. Runs off the append path (the daemon's maintenance), in
    /// one transaction; call it again while `pending` is true, so appends can interleave with a
    /// large backlog. A crash leaves either the old head rows or the new chunks, and reloading
    /// skips samples already in chunks.
    @discardableResult
    package func maintainHead(idleBefore cutoff: Int64, limit: Int = .max) throws(StoreError) -> HeadMaintenanceResult {
        try requireWritable()
        var result = HeadMaintenanceResult()
        try writeBatch { () throws(StoreError) -> Void in
            // One scan of the head per round, not per pass: the passes take their share of it.
            if maintenanceQueue.isEmpty {
                maintenanceQueue = head.compactMap { entry in
                    !entry.series.sealed.isEmpty || (entry.series.lastTimestamp ?? .min) < cutoff ? entry.id : nil
                }
                maintenanceQueue.sort(by: >)
            }
            var taken = 0
            while taken < limit, let id = maintenanceQueue.popLast() {
                taken += 1
                let taken = head.update(id) { series in
                    (sealed: series.takeSealed(), idle: (series.lastTimestamp ?? .min) < cutoff ? series.takeOpen() : nil)
                }
                guard let taken else { continue }
                for chunk in taken.sealed {
                    try writeChunk(seriesID: id, chunk)
                    result.chunksWritten += 1
                }
                if let idle = taken.idle {
                    try writeChunk(seriesID: id, idle)
                    head[id] = nil
                    result.chunksWritten += 1
                }
            }
            result.pending = !maintenanceQueue.isEmpty
            if !result.pending { result.headRowsDeleted = try deleteCoveredHeadRows() }
        }
        return result
    }

    /// Writes every head chunk to storage and empties the head (a clean shutdown, so the next
    /// start reads chunks only), `seriesPerTransaction` series at a time while `inTime` says so
    /// before each (a shutdown's deadline): the series not written by then keep their head rows,
    /// which the next start replays (skipping what the written chunks hold), so a shutdown keeps
    /// its time limit however large the head is. Returns whether the head was emptied.
    @discardableResult
    package func flushHead(seriesPerTransaction: Int = 10_000, while inTime: () -> Bool = { true }) throws(StoreError) -> Bool {
        try requireWritable()
        maintenanceQueue.removeAll()
        // The head is only at hand inside a batch (`writeBatch` borrows it).
        var remaining: [Int64] = []
        var listed = false
        while (!listed || !remaining.isEmpty) && inTime() {
            try writeBatch { () throws(StoreError) -> Void in
                if !listed {
                    remaining = head.map(\.id).sorted(by: >)
                    listed = true
                }
                for _ in 0..<min(seriesPerTransaction, remaining.count) {
                    let id = remaining.removeLast()
                    guard let taken = head.update(id, { (sealed: $0.takeSealed(), open: $0.takeOpen()) }) else { continue }
                    for chunk in taken.sealed { try writeChunk(seriesID: id, chunk) }
                    try writeChunk(seriesID: id, taken.open)
                }
                if remaining.isEmpty {
                    head.removeAll()
                    try database.execute("DELETE FROM head")
                }
            }
        }
        guard listed && remaining.isEmpty else {
            if listed { try writeBatch { () throws(StoreError) -> Void in _ = try deleteCoveredHeadRows() } }
            return false
        }
        return true
    }

    /// Deletes the head rows older than every series' head: each sample in them is in a chunk.
    func deleteCoveredHeadRows() throws(StoreError) -> Int {
        let oldestInHead = head.reduce(Int64.max) { min($0, $1.series.firstTimestamp) }
        try database.prepare("DELETE FROM head WHERE max_t < ?").reset(.integer(oldestInHead)).run()
        return database.changes
    }
}

/// What one head maintenance pass did.
package struct HeadMaintenanceResult: Sendable, Equatable {
    /// Sealed and idle chunks written to storage.
    package var chunksWritten = 0
    /// Head rows deleted because their samples are all in chunks.
    package var headRowsDeleted = 0
    /// Whether series were left for another pass (`limit`).
    package var pending = false

    package init(chunksWritten: Int = 0, headRowsDeleted: Int = 0, pending: Bool = false) {
        self.chunksWritten = chunksWritten
        self.headRowsDeleted = headRowsDeleted
        self.pending = pending
    }
}
