import Exposition
import Store

/// A target's series as its scrape loop remembers them from one scrape to the next, as
/// Prometheus' scrape cache does: each series found by the raw text of its line (no `Labels`
/// built or hashed) with its id in the store once a scrape of it was stored, so the store does
/// not hash labels either. A series' labels are built from its key only when the store asks
/// for them (`labels(by:)`): 100,000 series would otherwise hold ~40 MB of labels the store
/// keeps anyway.
///
/// Between scrapes the cache holds exactly the series of the last successful scrape: a
/// successful scrape forgets the series it lacked (unless its body was empty, as in Prometheus),
/// a failed one the series it introduced (Prometheus keeps those until its next successful
/// scrape; forgetting them keeps a target that always fails partway from growing the cache). So
/// a series missing from the cache is one `scrape_series_added` counts.
package struct SeriesCache: Sendable {
    /// What the cache knows of the series in one slot of `keys` (no reference in it, so reading
    /// one retains nothing).
    struct Entry: Sendable {
        /// The id, `Int64.min` for none: 16 bytes an entry rather than 24 with an optional.
        private var storedID: Int64 = .min
        /// The scrapes that last and first had the series (numbers wrap; only equality counts).
        var lastSeen: UInt32
        var firstSeen: UInt32

        init(lastSeen: UInt32, firstSeen: UInt32) {
            self.lastSeen = lastSeen
            self.firstSeen = firstSeen
        }

        var id: Int64? {
            get { storedID == .min ? nil : storedID }
            set { storedID = newValue ?? .min }
        }
    }

    /// The series' raw keys, each in a slot that stays its own while it is cached.
    private var keys = SeriesKeyTable()
    /// Per slot of `keys`.
    private var entries: [Entry] = []
    /// The slot of each sample of the last successful scrape, in order. A target exposes its
    /// series in the same order at every scrape, so sample `i` is first compared with the series
    /// sample `i` had last time: one `memcmp`, no key built and no hash (by `perf`, the hash
    /// lookup was a tenth of the collector's time).
    private var order: [Int32] = []
    /// The same, for the scrape being ingested.
    private var nextOrder: [Int32] = []
    /// The scratch key a sample's series is looked up by when the order does not predict it.
    private var key = RawSeriesKey()
    /// The store's series generation the ids belong to (`ScrapeAppend.generation`).
    private(set) var generation = 0
    /// The number of the scrape being ingested.
    private var scrape: UInt32 = 0
    /// Distinct cached series the scrape being ingested has had so far.
    private var seen = 0
    /// Whether the scrape being ingested added series, and whether the one before it did.
    private var added = false
    private var grewBefore = false
    /// Series remembered when the scrape being ingested began.
    private var countAtBegin = 0
    /// The ids of the report series (`up`, `scrape_*`), in `ScrapeReport.reportSamples` order.
    private(set) var reportIDs: [Int64]?
    /// The target's HELP, TYPE and UNIT lines, remembered from one scrape to the next as well.
    var metadata = MetadataLog()
    /// The size of the last body received, which the next fetch reserves.
    var lastBodySize = 0

    package init() {}

    /// Series remembered.
    package var count: Int { keys.count }

    /// Starts ingesting the next scrape.
    mutating func beginScrape() {
        scrape &+= 1
        seen = 0
        added = false
        countAtBegin = keys.count
        nextOrder.removeAll(keepingCapacity: true)
        metadata.begin()
    }

    /// The id of `sample`'s series, nil when the store has not given it one yet, for sample
    /// number `index` of this scrape; `added` tells a series new to the cache.
    mutating func series(of sample: SampleView, sampleIndex index: Int) -> (id: Int64?, added: Bool) {
        var slot = index < order.count ? Int(order[index]) : -1
        var isNew = false
        if slot < 0 || !keys.key(at: slot, matches: sample) {
            key.set(sample)
            if let known = key.bytes.withUnsafeBufferPointer({ keys.slot(of: $0) }) {
                slot = known
            } else {
                slot = key.bytes.withUnsafeBufferPointer { keys.insert($0) }
                let entry = Entry(lastSeen: scrape, firstSeen: scrape)
                if slot == entries.count { entries.append(entry) } else { entries[slot] = entry }
                seen += 1
                isNew = true
                added = true
            }
        }
        nextOrder.append(Int32(slot))
        if entries[slot].lastSeen != scrape {
            entries[slot].lastSeen = scrape
            seen += 1
        }
        return (entries[slot].id, isNew)
    }

    /// The labels of each sample of the scrape being stored, built from its series' key by
    /// `labeling` when the store asks for them. The keys are shared with the cache rather than
    /// copied, as long as the cache does not change while the closure lives (a change would copy
    /// them whole): the collector passes it to the store for one call.
    func labels(by labeling: TargetLabeling) -> SampleLabels {
        let (keys, order) = (self.keys, nextOrder)
        return { index in EncodedLabels(keys.withKey(at: Int(order[index]), labeling.labels(ofKey:))) }
    }

    /// Forgets every id (they belong to an older generation: retention deleted series since).
    private mutating func forgetIDs() {
        for slot in entries.indices { entries[slot].id = nil }
        reportIDs = nil
    }

    /// Takes in what the store did with this scrape: the ids of its samples' series (when the
    /// scraped samples were stored, `samplesStored`), the report series' (the last
    /// `reportCount` samples), and the generation they belong to.
    mutating func stored(_ append: ScrapeAppend, reportCount: Int, samplesStored: Bool) {
        if append.generation != generation {
            generation = append.generation
            forgetIDs()
        }
        if samplesStored {
            for (index, slot) in nextOrder.prefix(max(0, append.seriesIDs.count - reportCount)).enumerated() {
                entries[Int(slot)].id = append.seriesIDs[index]
            }
        }
        reportIDs = append.seriesIDs.count >= reportCount ? Array(append.seriesIDs.suffix(reportCount)) : nil
    }

    /// Gives back the room the buffers grew by when the scrape just parsed more than doubled
    /// the series (every target's first): at start-up every target waits with its first
    /// scrape for the store to create its series, and the room doubling left would be held
    /// meanwhile. Doublings are rare, so a target that keeps growing copies rarely.
    mutating func fitAfterGrowth() {
        guard keys.count > 2 * countAtBegin else { return }
        keys.compact(fitting: true)
        entries = entries.fitted()
    }

    /// Ends the scrape: a successful one forgets the series it lacked and keeps its order as the
    /// next scrape's guess, a failed one forgets the series it introduced.
    mutating func endScrape(succeeded: Bool) {
        let current = scrape
        if succeeded {
            swap(&order, &nextOrder)
            // As Prometheus, an empty body (what some exporters answer while they start) forgets
            // nothing: the series it lacks are not counted as added again when they come back.
            if lastBodySize > 0 && seen < keys.count { forget { $0.lastSeen != current } }
        } else if added {
            forget { $0.firstSeen == current }
        }
        // Buffers are fitted once a scrape adds nothing after one that did: growth has settled
        // (a target adding a series at every scrape would otherwise copy them at every scrape).
        let settled = !added && grewBefore
        keys.compact(fitting: settled)
        if settled { entries = entries.fitted() }
        grewBefore = added
    }

    private mutating func forget(where isForgotten: (Entry) -> Bool) {
        for slot in 0..<keys.slotLimit where keys.isOccupied(slot) && isForgotten(entries[slot]) {
            keys.remove(slot)
            entries[slot].id = nil
        }
    }
}
