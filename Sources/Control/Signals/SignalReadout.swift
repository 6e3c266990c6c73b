package import Policy
package import Query
import Store

/// One evaluation's signal values.
package struct SignalReadout: Sendable {
    package var backends: [BackendAddress: [String: Double]] = [:]
    package var pool: [String: Double] = [:]
    /// Signal name → why it has no value this evaluation.
    package var failures: [String: String] = [:]
    /// Each backend's `up` as the source saw it, for a pool Ballast does not scrape
    /// (`scrape: none`); empty otherwise.
    package var up: [BackendAddress: Bool] = [:]
    /// Why `up` could not be read for a pool Ballast does not scrape.
    package var upFailure: String?
    /// Where the values came from: `local` (the store) or `remote` (`signals_from`).
    package var source = "local"
    /// When the values were read (ms), when that is not the evaluation's own time: a remote
    /// read that outlived the evaluation's patience leaves the previous one's values.
    package var measuredAt: Int64?

    package init() {}

    /// Matches a result to backends (by `instance`) or the pool: a result row without an
    /// instance, two rows for one backend, rows naming only instances that are not the pool's
    /// backends, or a scalar where one value per backend is needed is a failure with its reason;
    /// beside rows of backends, rows of other instances (former members still within a range)
    /// are left out. `alias` maps an instance label that is not a traffic address (a metrics
    /// port) to its backend.
    package mutating func assign(
        _ value: Value,
        to name: String,
        policy: CompiledPolicy,
        backends: Set<BackendAddress>,
        alias: (String) -> BackendAddress? = { _ in nil }
    ) {
        switch value {
        case .scalar(let number):
            if policy.perBackendSignals.contains(name) {
                failures[name] = "the query gives a scalar, but weights and ejection need one value per backend (by instance)"
            } else {
                pool[name] = number
            }
        case .vector(let rows):
            if rows.count == 1, rows[0].labels["instance"] == nil, !policy.perBackendSignals.contains(name) {
                pool[name] = rows[0].value
                return
            }
            var seen: [BackendAddress: Double] = [:]
            var strangers: [String] = []
            for row in rows {
                guard let instance = row.labels["instance"] else {
                    failures[name] =
                        "a result row has no instance label (\(row.labels)); keep instance in the aggregation, e.g. sum by (instance) (...)"
                    return
                }
                // A row of an instance that is no longer a backend (scaled in, removed from file_sd)
                // lingers within the query's range; it says nothing about the pool now.
                guard let address = Self.backend(instance, among: backends, alias: alias) else {
                    strangers.append(instance)
                    continue
                }
                guard seen[address] == nil else {
                    failures[name] = "two result rows for backend \(address); aggregate by (instance) so each backend has one value"
                    return
                }
                seen[address] = row.value
            }
            // Only strangers: the query does not describe this pool's backends at all.
            if seen.isEmpty, let stranger = strangers.first {
                failures[name] = "a result row names instance \(stranger.quotedForMessage), which is not a backend of pool \(policy.pool)"
                return
            }
            for (address, number) in seen { self.backends[address, default: [:]][name] = number }
        case .matrix, .string:
            failures[name] = "the query gives a \(value.resultType), not one value per backend; use an instant vector"
        }
    }

    /// The backend an `instance` label names, directly or through `alias`.
    static func backend(_ instance: String, among backends: Set<BackendAddress>, alias: (String) -> BackendAddress?) -> BackendAddress? {
        if let address = try? BackendAddress(parsing: instance), backends.contains(address) { return address }
        return alias(instance).flatMap { backends.contains($0) ? $0 : nil }
    }
}
