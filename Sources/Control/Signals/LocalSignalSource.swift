package import Policy
package import Query
package import Store

/// Signals as instant PromQL queries over the local store, each query on its own consistent
/// snapshot, matched to backends by ``SignalReadout/assign(_:to:policy:backends:alias:)``.
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
            readout.assign(value, to: name, policy: policy, backends: backends)
        }
        return readout
    }
}
