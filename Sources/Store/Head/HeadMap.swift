/// The head's series by id, in shards of 512 consecutive ids. A scrape's series are created
/// together, so their ids are neighbours and one scrape touches one or two shards. A reader's
/// view shares the map (copy on write); the writer's next change then copies the outer array
/// and only the shards it touches, instead of the whole map (19 MB for 100,000 series, at every
/// query, when it was one dictionary).
struct HeadMap: Sendable, Sequence {
    private static let shardBits = 9
    private static let shardSize = 1 << shardBits
    /// Ids past this many shards (or negative ones, which SQLite never hands out) go to
    /// `outliers`, so a damaged head row cannot make the array huge.
    private static let shardLimit = 1 << 20

    /// Per shard, its series by the low bits of their ids: ids are handed out in order, so a
    /// shard is dense, and finding a series is an index rather than a hash (by `perf`, the
    /// dictionary's hash and probe were a fifth of appending a sample); an empty shard holds no
    /// slots.
    private var shards: [Shard] = []
    private var outliers: [Int64: HeadSeries] = [:]
    /// Series held.
    private(set) var count = 0

    fileprivate struct Shard: Sendable {
        var slots: [HeadSeries?] = []
        var count = 0
    }

    var isEmpty: Bool { count == 0 }

    private static func shard(of id: Int64) -> (shard: Int, slot: Int)? {
        let shard = id >> Int64(shardBits)
        return id >= 0 && shard < shardLimit ? (Int(shard), Int(id) & (shardSize - 1)) : nil
    }

    subscript(id: Int64) -> HeadSeries? {
        get {
            guard let (shard, slot) = Self.shard(of: id) else { return outliers[id] }
            return shard < shards.count && !shards[shard].slots.isEmpty ? shards[shard].slots[slot] : nil
        }
        set {
            let previous: HeadSeries?
            if let (shard, slot) = Self.shard(of: id) {
                if shard >= shards.count {
                    guard newValue != nil else { return }
                    shards.append(contentsOf: repeatElement(Shard(), count: shard - shards.count + 1))
                }
                if shards[shard].slots.isEmpty {
                    guard newValue != nil else { return }
                    shards[shard].slots = [HeadSeries?](repeating: nil, count: Self.shardSize)
                }
                previous = shards[shard].slots[slot]
                shards[shard].slots[slot] = newValue
                shards[shard].count += (newValue == nil ? 0 : 1) - (previous == nil ? 0 : 1)
                if shards[shard].count == 0 { shards[shard].slots = [] }
            } else {
                previous = newValue.map { outliers.updateValue($0, forKey: id) } ?? outliers.removeValue(forKey: id)
            }
            count += (newValue == nil ? 0 : 1) - (previous == nil ? 0 : 1)
        }
    }

    /// Runs `body` on series `id` in place (nothing copied), or returns nil when it is absent.
    mutating func update<R>(_ id: Int64, _ body: (inout HeadSeries) -> R) -> R? {
        guard let (shard, slot) = Self.shard(of: id) else {
            guard let position = outliers.index(forKey: id) else { return nil }
            return body(&outliers.values[position])
        }
        guard shard < shards.count, !shards[shard].slots.isEmpty, shards[shard].slots[slot] != nil else { return nil }
        return body(&shards[shard].slots[slot]!)
    }

    mutating func removeAll() {
        shards.removeAll()
        outliers.removeAll()
        count = 0
    }

    /// Every series with its id, in id order, then the outliers.
    func makeIterator() -> Iterator {
        Iterator(shards: shards, outliers: outliers)
    }

    /// Walks the shards' slots, then the outliers (maintenance walks the whole head often, so a
    /// plain loop rather than a chain of lazy sequences).
    struct Iterator: IteratorProtocol {
        fileprivate let shards: [Shard]
        fileprivate let outliers: [Int64: HeadSeries]
        private var shard = 0
        private var slot = 0
        private var outlier: Dictionary<Int64, HeadSeries>.Index

        fileprivate init(shards: [Shard], outliers: [Int64: HeadSeries]) {
            self.shards = shards
            self.outliers = outliers
            outlier = outliers.startIndex
        }

        mutating func next() -> (id: Int64, series: HeadSeries)? {
            while shard < shards.count {
                while slot < shards[shard].slots.count {
                    defer { slot += 1 }
                    if let series = shards[shard].slots[slot] { return (Int64(shard << HeadMap.shardBits | slot), series) }
                }
                (shard, slot) = (shard + 1, 0)
            }
            guard outlier != outliers.endIndex else { return nil }
            defer { outlier = outliers.index(after: outlier) }
            return (outliers.keys[outlier], outliers.values[outlier])
        }
    }
}
