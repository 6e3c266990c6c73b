extension Store {
    /// Writes to storage the open chunks whose newest sample is older than `idleBefore` (ms): the
    /// series stopped (a target went away, a stale marker ended it), so nothing will fill them.
    /// Then deletes the head rows whose samples are all in stored chunks. Runs off the append
    /// path (the daemon's maintenance), in one transaction; a crash leaves either the old head
    /// rows or the new chunks, and reloading skips samples already in chunks.
    @discardableResult
    public func maintainHead(idleBefore cutoff: Int64) throws(StoreError) -> HeadMaintenanceResult {
        try requireWritable()
        var result = HeadMaintenanceResult()
        let idle = head.filter { ($0.value.lastTimestamp ?? .min) < cutoff }.keys.sorted()
        try writeBatch { () throws(StoreError) -> Void in
            for id in idle {
                try writeChunk(seriesID: id, head[id]!.takeOpen())
                head[id] = nil
                changedHead.insert(id)
                result.chunksWritten += 1
            }
            result.headRowsDeleted = try deleteCoveredHeadRows()
        }
        return result
    }

    /// Writes every open chunk to storage and empties the head (a clean shutdown, so the next
    /// start reads chunks only).
    public func flushHead() throws(StoreError) {
        try requireWritable()
        guard !head.isEmpty else { return }
        try writeBatch { () throws(StoreError) -> Void in
            for id in head.keys.sorted() {
                try writeChunk(seriesID: id, head[id]!.takeOpen())
                changedHead.insert(id)
            }
            head.removeAll()
            try database.execute("DELETE FROM head")
        }
    }

    /// Deletes the head rows older than every series' head: each sample in them is in a chunk.
    func deleteCoveredHeadRows() throws(StoreError) -> Int {
        let oldestInHead = head.values.reduce(Int64.max) { min($0, $1.firstTimestamp) }
        try database.prepare("DELETE FROM head WHERE max_t < ?").reset(.integer(oldestInHead)).run()
        return database.changes
    }
}

/// What one head maintenance pass did.
public struct HeadMaintenanceResult: Sendable, Equatable {
    /// Idle open chunks written to storage.
    public var chunksWritten = 0
    /// Head rows deleted because their samples are all in chunks.
    public var headRowsDeleted = 0

    public init(chunksWritten: Int = 0, headRowsDeleted: Int = 0) {
        self.chunksWritten = chunksWritten
        self.headRowsDeleted = headRowsDeleted
    }
}
