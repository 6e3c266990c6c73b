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
        var work: [Int64] = []
        for (id, series) in head where !series.sealed.isEmpty || (series.lastTimestamp ?? .min) < cutoff {
            guard work.count < limit else {
                result.pending = true
                break
            }
            work.append(id)
        }
        work.sort()
        try writeBatch { () throws(StoreError) -> Void in
            for id in work {
                for chunk in head[id]!.takeSealed() {
                    try writeChunk(seriesID: id, chunk)
                    result.chunksWritten += 1
                }
                if (head[id]!.lastTimestamp ?? .min) < cutoff {
                    try writeChunk(seriesID: id, head[id]!.takeOpen())
                    head[id] = nil
                    result.chunksWritten += 1
                }
                changedHead.insert(id)
            }
            if !result.pending { result.headRowsDeleted = try deleteCoveredHeadRows() }
        }
        return result
    }

    /// Writes every head chunk to storage and empties the head (a clean shutdown, so the next
    /// start reads chunks only).
    package func flushHead() throws(StoreError) {
        try requireWritable()
        guard !head.isEmpty else { return }
        try writeBatch { () throws(StoreError) -> Void in
            for id in head.keys.sorted() {
                for chunk in head[id]!.takeSealed() { try writeChunk(seriesID: id, chunk) }
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
