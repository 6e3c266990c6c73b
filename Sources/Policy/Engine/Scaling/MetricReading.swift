/// One scaling signal as the replica calculator sees it, already grouped the way the HPA groups
/// pods: values from backends that answered, backends that are missing the value, and backends
/// whose scrape failed (HPA's unready pods).
enum MetricReading: Sendable, Hashable {
    /// Per-backend values: `nil` is a reachable backend without a value (a missing pod);
    /// `unready` counts backends whose scrape failed.
    case backends(values: [Double?], unready: Int)
    /// A pool-wide value that is already an average per replica.
    case pool(Double)
    /// The signal's query failed or nothing reported it.
    case failed(String)
}
