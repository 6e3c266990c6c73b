/// The head's series by id, in shards of 512 consecutive ids. A scrape's series are created
/// together, so their ids are neighbours and one scrape touches one or two shards. A reader's
/// view shares the map (copy on write); the writer's next change then copies the outer array
/// and only the shards it touches, instead of the whole map (19 MB for 100,000 series, at every
/// query, when it was one dictionary).
struct HeadMap: Sendable, Sequence {
    private static let shardBits = 9
    /// Ids past this many shards (or negative ones, which SQLite never hands out) go to
    /// `outliers`, so a damaged head row cannot make the array huge.
    private static let shardLimit = 1 << 20

    private var shards: [[Int64: HeadSeries]] = []
    private var outliers: [Int64: HeadSeries] = [:]
    /// Series held.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    private static func shard(of id: Int64) -> Int? {
        let shard = id >> Int64(shardBits)
        return id >= 0 && shard < shardLimit ? Int(shard) : nil
    }

    subscript(id: Int64) -> HeadSeries? {
        get {
            guard let shard = Self.shard(of: id) else { return outliers[id] }
            return shard < shards.count ? shards[shard][id] : nil
        }
        set {
            let previous: HeadSeries?
            if let shard = Self.shard(of: id) {
                if shard >= shards.count {
                    guard newValue != nil else { return }
                    shards.append(contentsOf: repeatElement([:], count: shard - shards.count + 1))
                }
                previous = newValue.map { shards[shard].updateValue($0, forKey: id) } ?? shards[shard].removeValue(forKey: id)
            } else {
                previous = newValue.map { outliers.updateValue($0, forKey: id) } ?? outliers.removeValue(forKey: id)
            }
            count += (newValue == nil ? 0 : 1) - (previous == nil ? 0 : 1)
        }
    }

    /// Runs `body` on series `id` in place (nothing copied), or returns nil when it is absent.
    mutating func update<R>(_ id: Int64, _ body: (inout HeadSeries) -> R) -> R? {
        guard let shard = Self.shard(of: id) else {
            guard let position = outliers.index(forKey: id) else { return nil }
            return body(&outliers.values[position])
        }
        guard shard < shards.count, let position = shards[shard].index(forKey: id) else { return nil }
        return body(&shards[shard].values[position])
    }

    mutating func removeAll() {
        shards.removeAll()
        outliers.removeAll()
        count = 0
    }

    /// Every series with its id, shard by shard.
    func makeIterator() -> some IteratorProtocol<(id: Int64, series: HeadSeries)> {
        (shards + [outliers]).lazy.flatMap { $0 }.map { (id: $0.key, series: $0.value) }.makeIterator()
    }
}
