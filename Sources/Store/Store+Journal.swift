extension Store {
    /// Records a decision, durably, in its own transaction.
    public func appendJournal(_ entry: JournalEntry) throws(StoreError) {
        try requireWritable()
        try writeBatch { () throws(StoreError) -> Void in
            try database.prepare(
                "INSERT INTO decisions (t, pool, kind, before, after, reason) VALUES (?, ?, ?, ?, ?, ?)"
            ).reset(
                .integer(entry.timestamp),
                .text(entry.pool),
                .text(entry.kind),
                .text(entry.before),
                .text(entry.after),
                .text(entry.reason)
            ).run()
        }
    }

    /// The decisions in `from...through` (ms), oldest first, for one pool or all, at most
    /// `limit` of them (the newest are dropped past it).
    public func journal(
        pool: String? = nil,
        from: Int64 = .min,
        through: Int64 = .max,
        limit: Int = .max
    )
        throws(StoreError) -> [JournalEntry]
    {
        let filter = pool == nil ? "" : " AND pool = ?4"
        let statement = try database.prepare(
            "SELECT t, pool, kind, before, after, reason FROM decisions WHERE t >= ?1 AND t <= ?2\(filter) ORDER BY t, id LIMIT ?3"
        )
        try statement.reset(.integer(from), .integer(through), .integer(Int64(min(limit, Int(Int64.max)))))
        if let pool { try statement.bind(.text(pool), at: 4) }
        var entries: [JournalEntry] = []
        while try statement.step() {
            entries.append(
                JournalEntry(
                    timestamp: statement.int64(0),
                    pool: statement.text(1),
                    kind: statement.text(2),
                    before: statement.text(3),
                    after: statement.text(4),
                    reason: statement.text(5)
                )
            )
        }
        return entries
    }
}
