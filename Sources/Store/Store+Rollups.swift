extension Store {
    /// Recomputes the 1-minute and 1-hour rollups of every series for the hours overlapping
    /// `from..<through` (ms) from the raw samples, replacing what was there. Idempotent, so the
    /// daemon runs it for each finished hour and an import runs it for the range it filled.
    package func buildRollups(from: Int64, through: Int64) throws(StoreError) {
        try requireWritable()
        let hour = RollupResolution.hour.milliseconds
        let start = floorDiv(from, hour) * hour
        let end = (floorDiv(through - 1, hour) + 1) * hour
        guard end > start else { return }
        // A plain transaction: rollups leave the head alone, so readers need not wait for them.
        try database.transaction { () throws(StoreError) -> Void in
            let delete = try database.prepare(
                "DELETE FROM rollups WHERE resolution = ? AND series_id = ? AND t >= ? AND t < ?"
            )
            let insert = try database.prepare(
                "INSERT INTO rollups (resolution, series_id, t, min, max, sum, count) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            for id in try allSeriesIDs() {
                let samples = try samples(of: id, from: start, through: end - 1)
                for resolution in RollupResolution.allCases {
                    try delete.reset(
                        .integer(resolution.milliseconds),
                        .integer(id),
                        .integer(start),
                        .integer(end)
                    ).run()
                    for rollup in Self.rollups(of: samples, resolution: resolution) {
                        try insert.reset(
                            .integer(resolution.milliseconds),
                            .integer(id),
                            .integer(rollup.timestamp),
                            rollup.min.map(SQLiteValue.real) ?? .null,
                            rollup.max.map(SQLiteValue.real) ?? .null,
                            rollup.sum.map(SQLiteValue.real) ?? .null,
                            .integer(Int64(rollup.count))
                        ).run()
                    }
                }
            }
        }
    }

    /// The rollups at `resolution` of every series matching `matchers` whose buckets start in
    /// `from...through`.
    package func rollups(
        matching matchers: [LabelMatcher],
        resolution: RollupResolution,
        from: Int64,
        through: Int64
    )
        throws(StoreError) -> [SeriesRollups]
    {
        let select = try database.prepare(
            "SELECT t, min, max, sum, count FROM rollups WHERE resolution = ? AND series_id = ? AND t >= ? AND t <= ? ORDER BY t"
        )
        var result: [SeriesRollups] = []
        for id in try index.ids(matching: matchers) {
            try select.reset(.integer(resolution.milliseconds), .integer(id), .integer(from), .integer(through))
            var rollups: [Rollup] = []
            while try select.step() {
                rollups.append(
                    Rollup(
                        timestamp: select.int64(0),
                        min: select.isNull(1) ? nil : select.double(1),
                        max: select.isNull(2) ? nil : select.double(2),
                        sum: select.isNull(3) ? nil : select.double(3),
                        count: Int(select.int64(4))
                    )
                )
            }
            guard !rollups.isEmpty, let labels = try index.labels(of: id) else { continue }
            result.append(SeriesRollups(labels: labels, rollups: rollups))
        }
        return result
    }

    /// Buckets time-ordered samples. Pure, so the arithmetic is tested without a database.
    static func rollups(of samples: [Sample], resolution: RollupResolution) -> [Rollup] {
        var result: [Rollup] = []
        let width = resolution.milliseconds
        for sample in samples where !sample.value.isNaN {
            let bucket = floorDiv(sample.timestamp, width) * width
            if result.last?.timestamp != bucket {
                result.append(Rollup(timestamp: bucket, min: nil, max: nil, sum: nil, count: 0))
            }
            var rollup = result[result.count - 1]
            rollup.min = Swift.min(rollup.min ?? sample.value, sample.value)
            rollup.max = Swift.max(rollup.max ?? sample.value, sample.value)
            rollup.sum = (rollup.sum ?? 0) + sample.value
            rollup.count += 1
            result[result.count - 1] = rollup
        }
        return result
    }
}

/// Division rounding toward negative infinity, so buckets of negative timestamps align too.
func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
}
