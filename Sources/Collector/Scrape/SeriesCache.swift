import Exposition
import Store

/// A target's series as its scrape loop remembers them from one scrape to the next, as
/// Prometheus' scrape cache does: each series found by the raw text of its line (one hash; no
/// `Labels` built or hashed) with its id in the store once a scrape of it was stored, so the
/// store does not hash labels either. A series' labels are built when it is first seen and kept
/// only until the store has given it an id: 100,000 series would otherwise hold ~40 MB of labels
/// the store keeps anyway.
///
/// Between scrapes the cache holds exactly the series of the last successful scrape: a
/// successful scrape forgets the series it lacked, a failed one the series it introduced. So a
/// series missing from the cache is one `scrape_series_added` counts.
package struct SeriesCache: Sendable {
    struct Entry: Sendable {
        /// The series' raw key; empty in a free slot (no sample has an empty name).
        var key: RawSeriesKey
        var id: Int64?
        /// Until the id is known.
        var labels: Labels?
        /// The scrapes that last and first had the series.
        var lastSeen: Int
        var firstSeen: Int

        /// Records that `scrape` has the series; whether this is its first sample in it.
        mutating func see(in scrape: Int) -> Bool {
            defer { lastSeen = scrape }
            return lastSeen != scrape
        }

        /// The labels to send while the id is unknown, built (once) with `make`.
        mutating func labelsForStore(_ make: () -> Labels) -> Labels {
            if let labels { return labels }
            let built = make()
            labels = built
            return built
        }
    }

    /// The series, each in a slot that stays its own while it is cached.
    private var slots: [Entry] = []
    /// Slots freed by forgotten series, reused first.
    private var freeSlots: [Int] = []
    private var slotOf: [RawSeriesKey: Int] = [:]
    /// The slot of each sample of the last successful scrape, in order. A target exposes its
    /// series in the same order at every scrape, so sample `i` is first compared with the series
    /// sample `i` had last time: one `memcmp`, no key built and no hash (by `perf`, the hash
    /// lookup was a tenth of the collector's time).
    private var order: [Int] = []
    /// The same, for the scrape being ingested.
    private var nextOrder: [Int] = []
    /// The scratch key a sample's series is looked up by when the order does not predict it.
    private var key = RawSeriesKey()
    /// The store's series generation the ids belong to (`ScrapeAppend.generation`).
    private(set) var generation = 0
    /// The number of the scrape being ingested.
    private var scrape = 0
    /// Distinct cached series the scrape being ingested has had so far.
    private var seen = 0
    /// The ids of the report series (`up`, `scrape_*`), in `ScrapeReport.reportSamples` order.
    private(set) var reportIDs: [Int64]?
    /// The target's HELP, TYPE and UNIT lines, remembered from one scrape to the next as well.
    var metadata = MetadataLog()
    /// The size of the last body received, which the next fetch reserves.
    var lastBodySize = 0
    /// Per sample of the scrape being stored that had no id, its index and slot.
    private var unresolved: [(index: Int, slot: Int)] = []

    package init() {}

    /// Series remembered.
    package var count: Int { slotOf.count }

    /// Starts ingesting the next scrape.
    mutating func beginScrape() {
        scrape += 1
        seen = 0
        unresolved.removeAll(keepingCapacity: true)
        nextOrder.removeAll(keepingCapacity: true)
        metadata.begin()
    }

    /// The id of `sample`'s series, or its labels when the store has not given it one yet (built
    /// with `make`), for sample number `index` of this scrape; `added` tells a series new to the
    /// cache.
    mutating func series(of sample: SampleView, sampleIndex index: Int, make: () -> Labels) -> (labels: Labels?, id: Int64?, added: Bool) {
        let slot: Int
        var added = false
        // Through the buffer: reading the key out of the array retained and released it.
        if index < order.count, slots.withUnsafeBufferPointer({ $0[order[index]].key.matches(sample) }) {
            slot = order[index]
        } else {
            key.set(sample)
            if let known = slotOf[key] {
                slot = known
            } else {
                slot = insert(key.compacted(), labels: make())
                added = true
            }
        }
        nextOrder.append(slot)
        // In place: reading the entry out would copy it.
        if slots[slot].see(in: scrape) { seen += 1 }
        if let id = slots[slot].id { return (nil, id, false) }
        unresolved.append((index, slot))
        return (slots[slot].labelsForStore(make), nil, added)
    }

    private mutating func insert(_ key: RawSeriesKey, labels: Labels) -> Int {
        let entry = Entry(key: key, id: nil, labels: labels, lastSeen: scrape - 1, firstSeen: scrape)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = entry
        } else {
            slot = slots.count
            slots.append(entry)
        }
        slotOf[key] = slot
        return slot
    }

    /// Starts the same scrape over (a re-ingest): the series it already had stay counted as
    /// seen in it and as introduced by it.
    mutating func restartScrape() {
        unresolved.removeAll(keepingCapacity: true)
        nextOrder.removeAll(keepingCapacity: true)
        metadata.begin()
    }

    /// Forgets every id (the store refused them: retention deleted series since): the series
    /// are sent by their labels until the store gives them ids again.
    mutating func forgetIDs() {
        for slot in slots.indices { slots[slot].id = nil }
        reportIDs = nil
    }

    /// Takes in what the store did with this scrape: the ids of the samples that had none (when
    /// the scraped samples were stored, `samplesStored`), the report series' (the last
    /// `reportCount` samples), and the generation they belong to.
    mutating func stored(_ append: ScrapeAppend, reportCount: Int, samplesStored: Bool) {
        if append.generation != generation {
            generation = append.generation
            forgetIDs()
        }
        if samplesStored {
            for (index, slot) in unresolved where index < append.seriesIDs.count - reportCount {
                slots[slot].id = append.seriesIDs[index]
                slots[slot].labels = nil
            }
        }
        reportIDs = append.seriesIDs.count >= reportCount ? Array(append.seriesIDs.suffix(reportCount)) : nil
    }

    /// Ends the scrape: a successful one forgets the series it lacked and keeps its order as the
    /// next scrape's guess, a failed one forgets the series it introduced.
    mutating func endScrape(succeeded: Bool) {
        let current = scrape
        if succeeded {
            swap(&order, &nextOrder)
            guard seen < slotOf.count else { return }
            forget { $0.lastSeen != current }
        } else {
            forget { $0.firstSeen == current }
        }
    }

    private mutating func forget(where isForgotten: (Entry) -> Bool) {
        for slot in slots.indices where !slots[slot].key.bytes.isEmpty && isForgotten(slots[slot]) {
            slotOf[slots[slot].key] = nil
            slots[slot] = Entry(key: RawSeriesKey(), id: nil, labels: nil, lastSeen: 0, firstSeen: 0)
            freeSlots.append(slot)
        }
    }
}
