package import Policy

/// Where the control loop reads a pool's signal values from. The local store is the default;
/// a Prometheus-compatible HTTP API (`signals_from`) is the other. Whatever the
/// source, a failure is a reason per signal, never a silent zero.
package protocol SignalSource: Sendable {
    /// The value of each of `policy`'s signals at `time` (ms): per backend (rows matched by
    /// their `instance` label to `backends`), pool-wide (a single row without `instance`, or a
    /// scalar), or the reason it could not be read.
    func read(_ policy: CompiledPolicy, backends: Set<BackendAddress>, at time: Int64) async -> SignalReadout
}
