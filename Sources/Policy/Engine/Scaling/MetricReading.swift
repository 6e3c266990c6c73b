/// One scaling signal as the replica calculator sees it, already grouped the way the HPA groups
/// pods: values from backends that answered, backends that are missing the value, and backends
/// whose scrape failed (HPA's unready pods).
enum MetricReading: Sendable, Hashable {
    /// What the backends reported, added up as the replica calculator reads it.
    case backends(BackendTally)
    /// A pool-wide value that is already an average per replica.
    case pool(Double)
    /// The signal's query failed or nothing reported it.
    case failed(String)

    /// Per-backend values: `nil` is a reachable backend without a value (a missing pod);
    /// `unready` counts backends whose scrape failed.
    static func backends(values: [Double?], unready: Int) -> MetricReading {
        var tally = BackendTally(unready: unready)
        for value in values { tally.add(value) }
        return .backends(tally)
    }
}

/// The HPA replica calculator reads a signal's per-backend values only through their sum and
/// counts, so the engine adds them up as it walks the backends instead of collecting them (an
/// array per signal per evaluation, which a replay makes half a million times).
struct BackendTally: Sendable, Hashable {
    /// The sum of the reported values, added in backend order.
    var sum = 0.0
    /// Backends that reported a value.
    var reported = 0
    /// Reachable backends without a value (HPA's missing pods).
    var missing = 0
    /// Backends whose scrape failed (HPA's unready pods).
    var unready = 0

    /// Counts one reachable backend's value, or its absence.
    mutating func add(_ value: Double?) {
        if let value {
            sum += value
            reported += 1
        } else {
            missing += 1
        }
    }
}

/// The reading of each signal a scaling policy uses. A policy scales on a handful of signals, so
/// they are kept in order and found by comparing names: no hashing and no dictionary per
/// evaluation.
struct ScalingReadings: Sendable, ExpressibleByDictionaryLiteral {
    private var entries: [(name: String, reading: MetricReading)] = []

    init() {}

    init(dictionaryLiteral elements: (String, MetricReading)...) {
        for (name, reading) in elements { self[name] = reading }
    }

    /// The reading of `name`, if the policy uses that signal.
    subscript(name: String) -> MetricReading? {
        get { entries.first { $0.name == name }?.reading }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].reading = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }
}
