extension Store {
    /// Appends one batch (typically one scrape) in one transaction. As in Prometheus, a sample
    /// at the same timestamp as its series' newest is a duplicate (the first is kept) and an
    /// older one is out of order; both are counted and dropped. Compacts the head when it holds
    /// a complete block.
    @discardableResult
    public func append(_ samples: [LabeledSample]) throws(StoreError) -> AppendResult {
        try requireWritable()
        let result = try writeBatch { () throws(StoreError) -> AppendResult in
            var result = AppendResult()
            for item in samples {
                let id = try index.id(of: item.labels)
                try appendToHead(id: id, item.sample, counting: &result)
            }
            return result
        }
        if headHasCompleteBlock { try compact() }
        return result
    }

    /// Appends a successful scrape of `target` taken at `timestamp`, and writes a stale marker
    /// at `timestamp` for every series the previous scrape of `target` had and this one lacks,
    /// so rates and `up`-style logic stop where the series stopped, as in Prometheus.
    @discardableResult
    public func appendScrape(
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
                current.insert(id)
                try appendToHead(id: id, item.sample, counting: &result)
            }
            for id in previous.subtracting(current).sorted() {
                try appendStaleMarker(id: id, at: timestamp, counting: &result)
            }
            return (result, current)
        }
        targetSeries[target] = current
        if headHasCompleteBlock { try compact() }
        return result
    }

    /// Marks every series of `target`'s last successful scrape stale at `timestamp`: the scrape
    /// failed, so the series must stop rather than linger for the 5-minute lookback.
    @discardableResult
    public func markTargetDown(_ target: String, at timestamp: Int64) throws(StoreError) -> AppendResult {
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

    /// The series the last successful scrape of `target` produced.
    public func seriesOfTarget(_ target: String) throws(StoreError) -> [Labels] {
        try labels(of: (targetSeries[target] ?? []).sorted())
    }

    /// Runs `body` in one write transaction; on failure the in-memory head and caches are
    /// reloaded from the file so they never disagree with it.
    func writeBatch<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try database.transaction { () throws(StoreError) -> T in
                let result = try body()
                try insertHeadRow(pendingHead)
                pendingHead.removeAll(keepingCapacity: true)
                return result
            }
        } catch {
            resynchronize()
            throw error
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
        try appendToHead(id: id, .staleMarker(at: timestamp), counting: &marker)
        result.staleMarkers += marker.appended
    }

    /// The head path's ordering rules, then one durable row and the in-memory mirror.
    func appendToHead(id: Int64, _ sample: Sample, counting result: inout AppendResult) throws(StoreError) {
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
        pendingHead.append(HeadBatch.Entry(series: id, sample: sample))
        head[id, default: []].append(sample)
        headCount += 1
        lastTimestamps[id] = sample.timestamp
        newestTimestamp = max(newestTimestamp, sample.timestamp)
        oldestHeadTimestamp = min(oldestHeadTimestamp, sample.timestamp)
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
