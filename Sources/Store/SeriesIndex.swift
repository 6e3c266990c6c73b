/// Maps label sets to series ids and back, and answers label matchers through the inverted
/// index (`postings`: label name and value → series ids). Resolved series are cached in
/// memory, so repeated lookups cost one dictionary lookup.
final class SeriesIndex {
    /// Whether resolved series are cached. The daemon's writer does not: the collector keeps
    /// each series' id and asks by labels only for a series it has not seen, so a cache there
    /// would only hold every series' labels a second time (~40 MB per 100,000 series).
    var caches = true
    private let database: Database
    private var ids: [Labels: Int64] = [:]
    private var labelsByID: [Int64: Labels] = [:]
    private let findByHash: Statement
    private let insertSeries: Statement
    private let insertPosting: Statement
    private let labelsOfID: Statement
    private let postingsOfValue: Statement
    private let postingsOfName: Statement
    private let allSeries: Statement

    init(database: Database) throws(StoreError) {
        self.database = database
        findByHash = try database.prepare("SELECT id, labels FROM series WHERE hash = ?")
        insertSeries = try database.prepare("INSERT INTO series (hash, labels) VALUES (?, ?)")
        insertPosting = try database.prepare("INSERT OR IGNORE INTO postings (name, value, series_id) VALUES (?, ?, ?)")
        labelsOfID = try database.prepare("SELECT labels FROM series WHERE id = ?")
        postingsOfValue = try database.prepare("SELECT series_id FROM postings WHERE name = ? AND value = ?")
        postingsOfName = try database.prepare("SELECT value, series_id FROM postings WHERE name = ? ORDER BY value")
        allSeries = try database.prepare("SELECT id FROM series")
    }

    /// The id of `labels`, creating the series (and its postings) when new. Must run inside
    /// the caller's write transaction.
    func id(of labels: Labels) throws(StoreError) -> Int64 {
        if let id = ids[labels] { return id }
        let encoded = labels.encoded
        let id: Int64
        if let stored = try storedID(encoded: encoded) { id = stored } else { id = try insert(labels, encoded: encoded) }
        remember(labels, id)
        return id
    }

    /// `id(of:)` for labels in their stored form, which a scrape sends its new series in: found
    /// by those bytes, decoded only to be created or cached.
    func id(of labels: EncodedLabels) throws(StoreError) -> Int64 {
        if caches { return try id(of: labels.decoded) }
        if let id = try storedID(encoded: labels.bytes) { return id }
        return try insert(labels.decoded, encoded: labels.bytes)
    }

    private func insert(_ labels: Labels, encoded: [UInt8]) throws(StoreError) -> Int64 {
        insertSeries.reset()
        insertSeries.bind(Labels.hash(of: encoded), at: 1)
        insertSeries.bind(encoded, at: 2)
        try insertSeries.run()
        let id = database.lastInsertRowID
        for pair in labels.pairs {
            try insertPosting.reset(.text(pair.name), .text(pair.value), .integer(id)).run()
        }
        return id
    }

    /// The id of the stored series whose labels encode to `encoded`.
    private func storedID(encoded: [UInt8]) throws(StoreError) -> Int64? {
        findByHash.reset()
        findByHash.bind(Labels.hash(of: encoded), at: 1)
        defer { findByHash.reset() }
        while try findByHash.step() {
            if findByHash.blob(1) == encoded { return findByHash.int64(0) }
        }
        return nil
    }

    /// The labels of series `id`.
    func labels(of id: Int64) throws(StoreError) -> Labels? {
        if let labels = labelsByID[id] { return labels }
        labelsOfID.reset()
        labelsOfID.bind(id, at: 1)
        defer { labelsOfID.reset() }
        guard try labelsOfID.step(), let labels = Labels(encoded: labelsOfID.blob(0)) else { return nil }
        remember(labels, id)
        return labels
    }

    /// The ids of every series satisfying all `matchers`, ascending. No matcher selects every
    /// series. Matchers that reject the empty value narrow the candidates through the postings;
    /// then every candidate is checked against all matchers, treating a missing label as empty
    /// (so `job=""` or `job!~".+"` selects series without `job`, as in Prometheus).
    func ids(matching matchers: [LabelMatcher]) throws(StoreError) -> [Int64] {
        var candidates: Set<Int64>?
        for matcher in matchers where !matcher.matchesEmpty {
            let found = try postings(for: matcher)
            candidates = candidates.map { $0.intersection(found) } ?? found
            if candidates?.isEmpty == true { return [] }
        }
        let pool: Set<Int64>
        if let candidates {
            pool = candidates
        } else {
            var all = Set<Int64>()
            allSeries.reset()
            while try allSeries.step() { all.insert(allSeries.int64(0)) }
            pool = all
        }
        var result: [Int64] = []
        for id in pool {
            guard let labels = try labels(of: id) else { continue }
            if matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) { result.append(id) }
        }
        return result.sorted()
    }

    /// Forgets cached series (after retention removed some).
    func forgetCache() {
        ids.removeAll(keepingCapacity: true)
        labelsByID.removeAll(keepingCapacity: true)
    }

    private func postings(for matcher: LabelMatcher) throws(StoreError) -> Set<Int64> {
        var found = Set<Int64>()
        if matcher.kind == .equal {
            try postingsOfValue.reset(.text(matcher.name), .text(matcher.value))
            while try postingsOfValue.step() { found.insert(postingsOfValue.int64(0)) }
            return found
        }
        try postingsOfName.reset(.text(matcher.name))
        var lastValue: String?
        var lastMatched = false
        while try postingsOfName.step() {
            let value = postingsOfName.text(0)
            // Byte for byte: canonically equivalent spellings are different values.
            if lastValue.map({ !LabelBytes.equal($0, value) }) ?? true {
                lastValue = value
                lastMatched = matcher.matches(value)
            }
            if lastMatched { found.insert(postingsOfName.int64(1)) }
        }
        return found
    }

    private func remember(_ labels: Labels, _ id: Int64) {
        guard caches else { return }
        ids[labels] = id
        labelsByID[id] = labels
    }
}
