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
        try requireWritable()
        let previous = targetSeries[target] ?? []
        let (result, current) = try writeBatch { () throws(StoreError) -> (AppendResult, Set<Int64>) in
            var result = AppendResult()
            var current = Set<Int64>()
            current.reserveCapacity(samples.count)
            for item in samples {
                let id = try index.id(of: item.labels)
                if item.sample.timestamp == timestamp && current.insert(id).inserted && !previous.contains(id) {
                    result.seriesAdded += 1
                }
                try appendToHead(id: id, item.sample, now: timestamp, counting: &result)
            }
            for id in previous.subtracting(current).sorted() {
                try appendStaleMarker(id: id, at: timestamp, counting: &result)
            }
            return (result, current)
        }
        targetSeries[target] = current
        return result
    }

    /// Marks every series of `target`'s last successful scrape stale at `timestamp`: the scrape
    /// failed, so the series must stop rather than linger for the 5-minute lookback.
    @discardableResult
    package func markTargetDown(_ target: String, at timestamp: Int64) throws(StoreError) -> AppendResult {
        try requireWritable()
        guard let previous = targetSeries[target], !previous.isEmpty else { return AppendResult() }
        let result = try writeBatch { () throws(StoreError) -> AppendResult in
            var result = AppendResult()
            for id in previous.sorted() {
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
        try labels(of: (targetSeries[target] ?? []).sorted())
    }

    /// Runs `body` in one write transaction and writes the batch's head row. The commit and the
    /// publication of the changed head series happen under the shared head's lock, so readers
    /// see all of the batch or none of it. On failure the in-memory head and caches are reloaded
    /// from the file so they never disagree with it.
    func writeBatch<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            try database.execute("BEGIN IMMEDIATE")
            let result = try body()
            try insertHeadRow(pendingHead)
            pendingHead.removeAll(keepingCapacity: true)
            try publishCommit()
            return result
        } catch {
            try? database.execute("ROLLBACK")
            resynchronize()
            throw error
        }
    }

    /// Commits the open transaction and hands the head series it changed to readers.
    func publishCommit() throws(StoreError) {
        let changed = changedHead.map { ($0, head[$0]) }
        changedHead.removeAll(keepingCapacity: true)
        try shared.withLock { (state: inout SharedHead.State) throws(StoreError) -> Void in
            try database.execute("COMMIT")
            for (id, series) in changed { state.series[id] = series }
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
    /// together fill their chunks at the same scrape).
    func appendToHead(id: Int64, _ sample: Sample, now: Int64, counting result: inout AppendResult) throws(StoreError) {
        let (limit, overflow) = now.addingReportingOverflow(options.futureTolerance)
        if !overflow && sample.timestamp > limit {
            result.outOfBounds += 1
            return
        }
        if let last = try lastTimestamp(of: id) {
            if sample.timestamp == last {
                result.duplicates += 1
                return
            }
            if sample.timestamp < last {
                result.outOfOrder += 1
                return
            }
        }
        if head[id] == nil { head[id] = HeadSeries() }
        if needsCut(head[id]!, before: sample) {
            head[id]!.seal()
        }
        head[id]!.append(sample)
        changedHead.insert(id)
        pendingHead.append(HeadBatch.Entry(series: id, sample: sample))
        lastTimestamps[id] = sample.timestamp
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
