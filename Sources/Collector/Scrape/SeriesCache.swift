package import Store

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

    private var entries: [RawSeriesKey: Entry] = [:]
    /// The store's series generation the ids belong to (`ScrapeAppend.generation`).
    private(set) var generation = 0
    /// The number of the scrape being ingested.
    private var scrape = 0
    /// Distinct cached series the scrape being ingested has had so far.
    private var seen = 0
    /// The ids of the report series (`up`, `scrape_*`), in `ScrapeReport.reportSamples` order.
    private(set) var reportIDs: [Int64]?
    /// Per sample of the scrape being stored that had no id, its index and key.
    private var unresolved: [(index: Int, key: RawSeriesKey)] = []

    package init() {}

    /// Series remembered.
    package var count: Int { entries.count }

    /// Starts ingesting the next scrape.
    mutating func beginScrape() {
        scrape += 1
        seen = 0
        unresolved.removeAll(keepingCapacity: true)
    }

    /// The id of the series `key`, or its labels when the store has not given it one yet (built
    /// with `make`), for sample number `index` of this scrape; `added` tells a series new to the
    /// cache.
    mutating func series(_ key: RawSeriesKey, sampleIndex index: Int, make: () -> Labels) -> (labels: Labels?, id: Int64?, added: Bool) {
        if let position = entries.index(forKey: key) {
            // In place: reading the entry out would copy it.
            if entries.values[position].see(in: scrape) { seen += 1 }
            if let id = entries.values[position].id { return (nil, id, false) }
            unresolved.append((index, entries.keys[position]))
            return (entries.values[position].labelsForStore(make), nil, false)
        }
        let stored = key.compacted()
        let labels = make()
        entries[stored] = Entry(id: nil, labels: labels, lastSeen: scrape, firstSeen: scrape)
        seen += 1
        unresolved.append((index, stored))
        return (labels, nil, true)
    }

    /// Starts the same scrape over (a re-ingest): the series it already had stay counted as
    /// seen in it and as introduced by it.
    mutating func restartScrape() {
        unresolved.removeAll(keepingCapacity: true)
    }

    /// Forgets every id (the store refused them: retention deleted series since): the series
    /// are sent by their labels until the store gives them ids again.
    mutating func forgetIDs() {
        for position in entries.indices { entries.values[position].id = nil }
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
            for (index, key) in unresolved where index < append.seriesIDs.count - reportCount {
                entries[key]?.id = append.seriesIDs[index]
                entries[key]?.labels = nil
            }
        }
        reportIDs = append.seriesIDs.count >= reportCount ? Array(append.seriesIDs.suffix(reportCount)) : nil
    }

    /// Ends the scrape: a successful one forgets the series it lacked, a failed one the series
    /// it introduced.
    mutating func endScrape(succeeded: Bool) {
        let current = scrape
        if succeeded {
            guard seen < entries.count else { return }
            for key in entries.compactMap({ $0.value.lastSeen == current ? nil : $0.key }) { entries[key] = nil }
        } else {
            for key in entries.compactMap({ $0.value.firstSeen == current ? $0.key : nil }) { entries[key] = nil }
        }
    }
}
