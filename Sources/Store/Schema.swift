/// The database layout and its forward migrations. Chunks are clustered by time block, then
/// series, then time (`WITHOUT ROWID`), as Prometheus lays out its 2-hour blocks: the head
/// compacts one whole block at a time, in key order, so the rows append to the end of the
/// table with full pages; a range read of one series costs one seek per block; retention drops
/// whole blocks from the front. A chunk never spans two blocks, and costs only its key beyond
/// its bytes: its newest timestamp is kept as `end_offset` from the block start and its first as
/// `span` before that, small integers rather than two absolute times. `series.min_t/max_t` is
/// the span of each series' chunks. Each migration runs once, in one transaction, and bumps
/// `meta.schema_version`; a database from a newer Ballast is refused instead of being misread.
enum Schema {
    /// Migration `n` (1-based) brings a database from version `n - 1` to `n`. Never edit a
    /// released entry: append a new one.
    static let migrations: [String] = [
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE series (
            id INTEGER PRIMARY KEY,
            hash INTEGER NOT NULL,
            labels BLOB NOT NULL,
            min_t INTEGER,
            max_t INTEGER
        );
        CREATE INDEX series_hash ON series (hash);
        CREATE TABLE postings (
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            series_id INTEGER NOT NULL,
            PRIMARY KEY (name, value, series_id)
        ) WITHOUT ROWID;
        CREATE TABLE head (id INTEGER PRIMARY KEY, min_t INTEGER NOT NULL, max_t INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE TABLE chunks (
            block INTEGER NOT NULL,
            series_id INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            span INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (block, series_id, end_offset)
        ) WITHOUT ROWID;
        CREATE TABLE rollups (
            resolution INTEGER NOT NULL,
            series_id INTEGER NOT NULL,
            t INTEGER NOT NULL,
            min REAL,
            max REAL,
            sum REAL,
            count INTEGER NOT NULL,
            PRIMARY KEY (resolution, series_id, t)
        ) WITHOUT ROWID;
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            t INTEGER NOT NULL,
            pool TEXT NOT NULL,
            kind TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX decisions_pool_t ON decisions (pool, t);
        """,
        // 2: the journal keeps each decision whole (its JSON), and each pool's engine state is
        // kept between runs. Round 1's before/after texts move into `data`.
        """
        ALTER TABLE decisions RENAME TO decisions_v1;
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            t INTEGER NOT NULL,
            pool TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            data TEXT NOT NULL
        );
        INSERT INTO decisions (id, t, pool, kind, reason, data)
            SELECT id, t, pool, kind, reason, json_object('before', before, 'after', after) FROM decisions_v1;
        DROP TABLE decisions_v1;
        CREATE INDEX decisions_pool_t ON decisions (pool, t);
        CREATE INDEX decisions_t ON decisions (t);
        CREATE TABLE engine_state (
            pool TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            t INTEGER NOT NULL,
            data BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
        // 3: series ids are never handed out twice (AUTOINCREMENT), so a head row or a cached id
        // naming a series retention deleted can never land in a newer series; and head rows are
        // format 2 (`meta.head_format`), which an older Ballast must refuse, not misread.
        """
        CREATE TABLE series_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            hash INTEGER NOT NULL,
            labels BLOB NOT NULL,
            min_t INTEGER,
            max_t INTEGER
        );
        INSERT INTO series_v3 (id, hash, labels, min_t, max_t) SELECT id, hash, labels, min_t, max_t FROM series;
        DROP TABLE series;
        ALTER TABLE series_v3 RENAME TO series;
        CREATE INDEX series_hash ON series (hash);
        """,
        // 4: a decision applied by an HA pair's leader records the lease's fencing epoch.
        """
        ALTER TABLE decisions ADD COLUMN epoch INTEGER;
        """,
    ]

    /// The version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Brings the database at `database` up to `currentVersion`.
    static func migrate(_ database: Database) throws(StoreError) {
        try database.execute(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
        )
        let version = try readVersion(database)
        guard version <= currentVersion else {
            throw .newerSchema(path: database.path, found: version, supported: currentVersion)
        }
        for next in (version + 1)..<(currentVersion + 1) {
            try database.transaction { () throws(StoreError) -> Void in
                try database.execute(migrations[next - 1])
                try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)")
                    .reset(.text(String(next))).run()
            }
        }
    }

    /// The stored version, 0 for a new file.
    static func readVersion(_ database: Database) throws(StoreError) -> Int {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = 'schema_version'")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return Int(statement.text(0)) ?? 0
    }
}
