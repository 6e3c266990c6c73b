extension Store {
    /// Appends one batch in one transaction. As in Prometheus, a sample at the same timestamp
    /// as its series' newest is a duplicate (the first is kept), an older one is out of order,
    /// and one more than `Options.futureTolerance` after `now` (ms, the writer's clock) is out
    /// of bounds; all three are counted and dropped.
    @discardableResult
    package func append(_ samples: [LabeledSample], now: Int64) throws(StoreError) -> AppendResult {
        try requireWritable()
        return try writeBatch { () throws(StoreError) -> AppendResult in
            var result = AppendResult()
            for item in samples {
                let id = try index.id(of: item.labels)
                try appendToHead(id: id, item.sample, now: now, counting: &result)
            }
            return result
        }
    }

    /// Appends a scrape of `target` taken at `timestamp` (ms, also the clock for the
    /// out-of-bounds rule), and writes a stale marker at `timestamp` for every series the
    /// previous scrape of `target` had and this one lacks, so rates and `up`-style logic stop
    /// where the series stopped, as in Prometheus. A failed scrape is appended with its report
    /// series only, so all its other series go stale. As in Prometheus, series whose samples
    /// carry their own timestamp (not `timestamp`) are not tracked for staleness.
    /// `seriesAdded` counts the tracked series the previous scrape did not have.
    @discardableResult
    package func appendScrape(
        target: String,
        samples: [LabeledSample],
        timestamp: Int64
    ) throws(StoreError)
        -> AppendResult
    {
        let bare = samples.map { ScrapedSample(labels: nil, sample: $0.sample) }
        return try appendScrape(target: target, samples: bare, generation: seriesGeneration, timestamp: timestamp) { index in
            EncodedLabels(samples[index].labels)
        }.result
    }

    /// `appendScrape` for a caller that keeps the series ids of earlier scrapes (the collector's
    /// series cache): a sample with an id costs no label hashing. The ids count only when they
    /// come from the current `generation` (`ScrapeAppend.generation`): after retention deleted
    /// series, every sample is resolved by its labels, and `labels` builds those a sample lacks.
    package func appendScrape(
        target: String,
        samples: [ScrapedSample],
        generation: Int,
        timestamp: Int64,
        labels: SampleLabels
    ) throws(StoreError)
        -> ScrapeAppend
    {
        try requireWritable()
        let idsAreCurrent = generation == seriesGeneration
        let previous = targetSeries[target] ?? []
        let (result, ids, current) = try writeBatch { () throws(StoreError) -> (AppendResult, [Int64], [Int64]) in
            var result = AppendResult()
            var ids: [Int64] = []
            ids.reserveCapacity(samples.count)
            var current: [Int64] = []
            current.reserveCapacity(samples.count)
            for (offset, item) in samples.enumerated() {
                let id: Int64
                if idsAreCurrent, let known = item.id {
                    id = known
                } else {
                    id = try index.id(of: item.labels ?? labels(offset))
                }
                ids.append(id)
                if item.sample.timestamp == timestamp { current.append(id) }
                try appendToHead(id: id, item.sample, now: timestamp, counting: &result)
            }
            // Sorted id lists compared in one walk: no hashing per sample.
            current.sort()
            current = Self.uniqued(current)
            let (added, gone) = Self.difference(current, previous)
            result.seriesAdded = added
            for id in gone {
                try appendStaleMarker(id: id, at: timestamp, counting: &result)
            }
            return (result, ids, current)
        }
        targetSeries[target] = current
        return ScrapeAppend(result: result, seriesIDs: ids, generation: seriesGeneration)
    }

    /// `sorted` without repeats (ascending input).
    static func uniqued(_ sorted: [Int64]) -> [Int64] {
        var unique: [Int64] = []
        unique.reserveCapacity(sorted.count)
        for id in sorted where unique.last != id { unique.append(id) }
        return unique
    }

    /// How many of `current` `previous` lacks, and the ids of `previous` that `current` lacks
    /// (both ascending, without repeats).
    static func difference(_ current: [Int64], _ previous: [Int64]) -> (added: Int, gone: [Int64]) {
        var added = 0
        var gone: [Int64] = []
        var (i, j) = (0, 0)
        while i < current.count || j < previous.count {
            if j == previous.count || (i < current.count && current[i] < previous[j]) {
                added += 1
                i += 1
            } else if i == current.count || previous[j] < current[i] {
                gone.append(previous[j])
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return (added, gone)
    }

    /// Marks every series of `target`'s last successful scrape stale at `timestamp`: the scrape
    /// failed, so the series must stop rather than linger for the 5-minute lookback.
    @discardableResult
    package func markTargetDown(_ target: String, at timestamp: Int64) throws(StoreError) -> AppendResult {
        try requireWritable()
        guard let previous = targetSeries[target], !previous.isEmpty else { return AppendResult() }
        let result = try writeBatch { () throws(StoreError) -> AppendResult in
            var result = AppendResult()
            for id in previous {
                try appendStaleMarker(id: id, at: timestamp, counting: &result)
            }
            return result
        }
        targetSeries[target] = []
        return result
    }

    /// Forgets a target that is no longer scraped (after `markTargetDown`).
    package func forgetTarget(_ target: String) {
        targetSeries[target] = nil
    }

    /// The series the last successful scrape of `target` produced.
    package func seriesOfTarget(_ target: String) throws(StoreError) -> [Labels] {
        try labels(of: targetSeries[target] ?? [])
    }

    /// Runs `body` in one write transaction, with the head borrowed under the shared head's
    /// lock (`withWriterHead`), and writes the batch's head row. Readers start only before or
    /// after, so they see all of the batch or none of it. The transaction begins before the lock
    /// is taken: waiting for another process' write (`busy_timeout`) holds no reader back, and a
    /// reader starting meanwhile sees neither the batch's rows nor its head. On failure the
    /// in-memory head and caches are reloaded from the file so they never disagree with it.
    func writeBatch<T: Sendable>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.execute("BEGIN IMMEDIATE")
        return try withWriterHead { () throws(StoreError) -> T in
            do throws(StoreError) {
                let result = try body()
                try insertHeadRow(pendingHead)
                pendingHead.removeAll(keepingCapacity: true)
                try database.execute("COMMIT")
                return result
            } catch {
                try? database.execute("ROLLBACK")
                resynchronize()
                throw error
            }
        }
    }

    private func appendStaleMarker(
        id: Int64,
        at timestamp: Int64,
        counting result: inout AppendResult
    )
        throws(StoreError)
    {
        var marker = AppendResult()
        try appendToHead(id: id, .staleMarker(at: timestamp), now: timestamp, counting: &marker)
        result.staleMarkers += marker.appended
    }

    /// The head path's rules, then the sample joins its series' open chunk and the batch's row.
    /// A full chunk (or one the sample would carry into a new block) is sealed in memory first;
    /// maintenance writes sealed chunks, so no append pays for writing them (series scraped
    /// together fill their chunks at the same scrape). A series in the head costs one lookup.
    func appendToHead(id: Int64, _ sample: Sample, now: Int64, counting result: inout AppendResult) throws(StoreError) {
        let (limit, overflow) = now.addingReportingOverflow(options.futureTolerance)
        if !overflow && sample.timestamp > limit {
            result.outOfBounds += 1
            return
        }
        let (chunkSize, blockRange) = (options.chunkSize, options.blockRange)
        if let admission = head.update(id, { $0.appendIfNewer(sample, chunkSize: chunkSize, blockRange: blockRange) }) {
            switch admission {
            case .appended: break
            case .duplicate:
                result.duplicates += 1
                return
            case .outOfOrder:
                result.outOfOrder += 1
                return
            }
        } else {
            if let last = try storedLastTimestamp(of: id) {
                if sample.timestamp == last {
                    result.duplicates += 1
                    return
                }
                if sample.timestamp < last {
                    result.outOfOrder += 1
                    return
                }
            }
            var series = HeadSeries()
            series.append(sample, chunkSize: options.chunkSize, blockRange: options.blockRange)
            head[id] = series
            lastTimestamps[id] = nil
        }
        pendingHead.append(HeadBatch.Entry(series: id, sample: sample))
        result.appended += 1
    }

    /// One durable head row holding a batch's samples (none: no row). Values keep their bit
    /// patterns (SQLite would turn a REAL NaN into NULL and lose stale markers).
    func insertHeadRow(_ entries: [HeadBatch.Entry]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        let times = entries.map(\.sample.timestamp)
        insertHead.reset()
        insertHead.bind(times.min()!, at: 1)
        insertHead.bind(times.max()!, at: 2)
        insertHead.bind(HeadBatch.encode(entries), at: 3)
        try insertHead.run()
    }
}
