package import Policy
package import Query
package import Store

/// Signals as instant PromQL queries over the local store, each query on its own consistent
/// snapshot: a result row without an instance, two rows for one backend, rows naming only
/// instances that are not the pool's backends, or a scalar where one value per backend is needed
/// is a failure with its reason; beside rows of backends, rows of other instances (former members
/// still within a range) are left out.
package struct LocalSignalSource: SignalSource {
    private let store: LiveStore
    private let executor: QueryExecutor

    /// Stops signal queries in flight at shutdown.
    private let cancellation: QueryCancellation?

    /// Signals are read on `executor`'s threads, apart from the API's queries, so a heavy API
    /// query cannot delay a failover.
    package init(store: LiveStore, executor: QueryExecutor, cancellation: QueryCancellation? = nil) {
        self.store = store
        self.executor = executor
        self.cancellation = cancellation
    }

    /// How long one signal's query may run: a pathological one becomes that signal's error
    /// instead of holding the pool's evaluation (and its failover) back.
    static let queryTimeout: Duration = .seconds(10)

    package func read(_ policy: CompiledPolicy, backends: Set<BackendAddress>, at time: Int64) async -> SignalReadout {
        var readout = SignalReadout()
        for (name, expr) in policy.signals {
            let value: Value
            do {
                value = try await store.query(on: executor) { [cancellation] in
                    try QueryEngine(reader: $0, timeout: Self.queryTimeout, cancellation: cancellation).instant(expr, at: time)
                }
            } catch {
                readout.failures[name] = "the query failed: \(error)"
                continue
            }
            Self.assign(value, to: name, policy: policy, backends: backends, into: &readout)
        }
        return readout
    }

    /// Matches a result to backends (by `instance`) or the pool.
    static func assign(_ value: Value, to name: String, policy: CompiledPolicy, backends: Set<BackendAddress>, into readout: inout SignalReadout) {
        switch value {
        case .scalar(let number):
            if policy.perBackendSignals.contains(name) {
                readout.failures[name] = "the query gives a scalar, but weights and ejection need one value per backend (by instance)"
            } else {
                readout.pool[name] = number
            }
        case .vector(let rows):
            if rows.count == 1, rows[0].labels["instance"] == nil, !policy.perBackendSignals.contains(name) {
                readout.pool[name] = rows[0].value
                return
            }
            var seen: [BackendAddress: Double] = [:]
            var strangers: [String] = []
            for row in rows {
                guard let instance = row.labels["instance"] else {
                    readout.failures[name] =
                        "a result row has no instance label (\(row.labels)); keep instance in the aggregation, e.g. sum by (instance) (...)"
                    return
                }
                // A row of an instance that is no longer a backend (scaled in, removed from file_sd)
                // lingers within the query's range; it says nothing about the pool now.
                guard let address = try? BackendAddress(parsing: instance), backends.contains(address) else {
                    strangers.append(instance)
                    continue
                }
                guard seen[address] == nil else {
                    readout.failures[name] = "two result rows for backend \(address); aggregate by (instance) so each backend has one value"
                    return
                }
                seen[address] = row.value
            }
            // Only strangers: the query does not describe this pool's backends at all.
            if seen.isEmpty, let stranger = strangers.first {
                readout.failures[name] = "a result row names instance \(stranger.quotedForMessage), which is not a backend of pool \(policy.pool)"
                return
            }
            for (address, number) in seen { readout.backends[address, default: [:]][name] = number }
        case .matrix, .string:
            readout.failures[name] = "the query gives a \(value.resultType), not one value per backend; use an instant vector"
        }
    }
}
