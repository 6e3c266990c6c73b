extension Store: SeriesReader {
    /// Every series matching all `matchers` (no matcher: every series), with its samples in
    /// `from...through` (ms, inclusive) merged from chunks and head, in timestamp order, one
    /// sample per timestamp. Series without samples in the range are omitted.
    package func series(
        matching matchers: [LabelMatcher],
        from: Int64,
        through: Int64
    ) throws(StoreError)
        -> [SeriesSamples]
    {
        var result: [SeriesSamples] = []
        try forEachSeries(matching: matchers, from: from, through: through) { series throws(StoreError) in
            result.append(series)
        }
        return result
    }

    /// Like `series(matching:from:through:)` but hands each series to `body` as soon as it is
    /// read, so an export of the whole store needs memory for one series only.
    package func forEachSeries(
        matching matchers: [LabelMatcher],
        from: Int64,
        through: Int64,
        _ body: (SeriesSamples) throws(StoreError) -> Void
    ) throws(StoreError) {
        for id in try index.ids(matching: matchers) {
            let samples = try samples(of: id, from: from, through: through)
            guard !samples.isEmpty, let labels = try index.labels(of: id) else { continue }
            try body(SeriesSamples(labels: labels, samples: samples))
        }
    }

    /// The label sets of every series matching `matchers`, whatever their samples.
    package func labelSets(matching matchers: [LabelMatcher]) throws(StoreError) -> [Labels] {
        try labels(of: index.ids(matching: matchers))
    }

    /// The label sets of every series matching `matchers` with samples between `from` and
    /// `through` (ms, inclusive; judged by the time spans of its chunks and head, as Prometheus
    /// judges by block and head ranges).
    package func labelSets(matching matchers: [LabelMatcher], from: Int64, through: Int64) throws(StoreError) -> [Labels] {
        let head = readableHead
        var ids: [Int64] = []
        for id in try index.ids(matching: matchers) {
            if let series = head[id], let last = series.lastTimestamp, last >= from, series.firstTimestamp <= through {
                ids.append(id)
            } else if let span = try chunkSpan(of: id), span.lowerBound <= through, span.upperBound >= from {
                ids.append(id)
            }
        }
        return try labels(of: ids)
    }

    /// The label sets of the series `ids` that still exist, in the same order.
    func labels(of ids: [Int64]) throws(StoreError) -> [Labels] {
        var result: [Labels] = []
        for id in ids {
            if let labels = try index.labels(of: id) { result.append(labels) }
        }
        return result
    }

    /// The samples of series `id` in `from...through`, chunks and head merged.
    func samples(of id: Int64, from: Int64, through: Int64) throws(StoreError) -> [Sample] {
        var samples: [Sample] = []
        var ordered = true
        func add(_ sample: Sample) {
            guard sample.timestamp >= from, sample.timestamp <= through else { return }
            if let last = samples.last, last.timestamp >= sample.timestamp { ordered = false }
            samples.append(sample)
        }
        if let span = try chunkSpan(of: id) {
            try addChunkSamples(of: id, from: from, through: through, blocks: block(of: span.lowerBound)...block(of: span.upperBound), add)
        }
        for sample in readableHead[id]?.samples() ?? [] { add(sample) }
        if !ordered { samples = Self.orderedUnique(samples) }
        return samples
    }

    /// Decodes the chunks of series `id` overlapping `from...through`, block by block.
    private func addChunkSamples(
        of id: Int64,
        from: Int64,
        through: Int64,
        blocks: ClosedRange<Int64>,
        _ add: (Sample) -> Void
    ) throws(StoreError) {
        let first = max(block(of: from), blocks.lowerBound)
        let last = min(block(of: through), blocks.upperBound)
        guard first <= last else { return }
        chunksInRange.reset()
        chunksInRange.bind(id, at: 1)
        chunksInRange.bind(first, at: 2)
        chunksInRange.bind(last, at: 3)
        chunksInRange.bind(from, at: 4)
        chunksInRange.bind(through, at: 5)
        chunksInRange.bind(options.blockRange, at: 6)
        while try chunksInRange.step() {
            for sample in try decoded(XORChunk(bytes: chunksInRange.blob(0)), of: id) { add(sample) }
        }
    }

    /// Sorts by timestamp keeping the first of equal timestamps (backfilled chunks may overlap
    /// in time, never in timestamps, but a reader must not trust that blindly).
    static func orderedUnique(_ samples: [Sample]) -> [Sample] {
        let sorted = samples.enumerated().sorted {
            $0.element.timestamp == $1.element.timestamp ? $0.offset < $1.offset : $0.element.timestamp < $1.element.timestamp
        }
        var unique: [Sample] = []
        unique.reserveCapacity(sorted.count)
        for (_, sample) in sorted where unique.last?.timestamp != sample.timestamp {
            unique.append(sample)
        }
        return unique
    }
}
