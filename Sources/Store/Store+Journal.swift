extension Store {
    /// Records an evaluation durably, in one transaction: its decisions and, when given, the
    /// pool's new engine state. A crash keeps both or neither, so a restarted daemon never acts
    /// on a state whose decisions were lost (or the reverse).
    package func recordEvaluation(decisions: [JournalEntry], state: StoredEngineState?) throws(StoreError) {
        try requireWritable()
        try writeBatch { () throws(StoreError) -> Void in
            let insert = try database.prepare("INSERT INTO decisions (t, pool, kind, reason, data, epoch) VALUES (?, ?, ?, ?, ?, ?)")
            for entry in decisions {
                try insert.reset(
                    .integer(entry.timestamp),
                    .text(entry.pool),
                    .text(entry.kind),
                    .text(entry.reason),
                    .text(entry.data),
                    entry.epoch.map { .integer($0) } ?? .null
                ).run()
            }
            if let state {
                try database.prepare("INSERT OR REPLACE INTO engine_state (pool, version, t, data) VALUES (?, ?, ?, ?)")
                    .reset(.text(state.pool), .integer(Int64(state.version)), .integer(state.timestamp), .blob(state.data))
                    .run()
            }
        }
    }

    /// Records one decision (see `recordEvaluation`).
    package func appendJournal(_ entry: JournalEntry) throws(StoreError) {
        try recordEvaluation(decisions: [entry], state: nil)
    }

    /// Every pool's stored engine state.
    package func engineStates() throws(StoreError) -> [StoredEngineState] {
        let statement = try database.prepare("SELECT pool, version, t, data FROM engine_state ORDER BY pool")
        var states: [StoredEngineState] = []
        while try statement.step() {
            states.append(
                StoredEngineState(pool: statement.text(0), version: Int(statement.int64(1)), timestamp: statement.int64(2), data: statement.blob(3))
            )
        }
        return states
    }

    /// Forgets a pool's engine state (a pool removed from the policies, or a state dropped).
    package func deleteEngineState(pool: String) throws(StoreError) {
        try requireWritable()
        try writeBatch { () throws(StoreError) -> Void in
            try database.prepare("DELETE FROM engine_state WHERE pool = ?").reset(.text(pool)).run()
        }
    }

    /// Decisions from the journal. `pool` and `kind` filter; `since...through` (ms) bounds the
    /// time. `newestFirst` with a `limit` answers "the latest N"; otherwise the oldest come first
    /// and the newest are dropped past the limit.
    package func journal(
        pool: String? = nil,
        kind: String? = nil,
        since: Int64 = .min,
        through: Int64 = .max,
        limit: Int = .max,
        newestFirst: Bool = false
    )
        throws(StoreError) -> [JournalEntry]
    {
        var filter = ""
        if pool != nil { filter += " AND pool = ?4" }
        if kind != nil { filter += " AND kind = ?5" }
        let order = newestFirst ? "t DESC, id DESC" : "t, id"
        let statement = try database.prepare(
            "SELECT t, pool, kind, reason, data, epoch FROM decisions WHERE t >= ?1 AND t <= ?2\(filter) ORDER BY \(order) LIMIT ?3"
        )
        try statement.reset(.integer(since), .integer(through), .integer(Int64(min(limit, Int(Int64.max)))))
        if let pool { try statement.bind(.text(pool), at: 4) }
        if let kind { try statement.bind(.text(kind), at: 5) }
        var entries: [JournalEntry] = []
        while try statement.step() {
            entries.append(
                JournalEntry(
                    timestamp: statement.int64(0),
                    pool: statement.text(1),
                    kind: statement.text(2),
                    reason: statement.text(3),
                    data: statement.text(4),
                    epoch: statement.isNull(5) ? nil : statement.int64(5)
                )
            )
        }
        return entries
    }
}
