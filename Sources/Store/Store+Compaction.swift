extension Store {
    /// Cuts the head into compressed chunks: every full `chunkSize` run of a series becomes a
    /// chunk, and so does the remainder of a series idle for `idleSeriesFlushAge` (or of every
    /// series when `flushAll`). One transaction, so a crash leaves either the old head or the
    /// new chunks, never both or neither.
    public func compact(flushAll: Bool = false) throws(StoreError) {
        try requireWritable()
        let chunkSize = options.chunkSize
        let idleBefore = newestTimestamp == .min ? Int64.min : newestTimestamp - options.idleSeriesFlushAge
        var remaining: [Int64: [Sample]] = [:]
        var changed = false
        for (id, samples) in head {
            var cut = samples.count / chunkSize * chunkSize
            if flushAll || (samples.last?.timestamp ?? .min) < idleBefore { cut = samples.count }
            if cut > 0 { changed = true }
            if cut < samples.count { remaining[id] = Array(samples[cut...]) }
        }
        guard changed else { return }
        try writeBatch { () throws(StoreError) -> Void in
            for (id, samples) in head.sorted(by: { $0.key < $1.key }) {
                let cut = samples.count - (remaining[id]?.count ?? 0)
                var start = 0
                while start < cut {
                    let end = min(start + chunkSize, cut)
                    try writeChunk(seriesID: id, samples: samples[start..<end])
                    start = end
                }
            }
            try database.execute("DELETE FROM head")
            for (id, samples) in remaining.sorted(by: { $0.key < $1.key }) {
                for sample in samples { try insertHeadRow(id: id, sample) }
            }
        }
        head = remaining
        headCount = remaining.values.reduce(0) { $0 + $1.count }
    }
}
