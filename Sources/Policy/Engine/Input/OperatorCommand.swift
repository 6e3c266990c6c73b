/// A request from an operator, given to the engine as an input so it is decided, checked and
/// journaled exactly like an automatic decision (and replayed identically).
package enum OperatorCommand: Sendable, Hashable, Codable {
    /// Move traffic to the standby tier now, ignoring hold-down (eligibility still applies).
    case failover
    /// Move traffic back to the active tier now, ignoring hold-down and the failback mode.
    case failback
    /// Stop sending new traffic to a backend; it keeps its state and returns with `undrain`.
    case drain(address: BackendAddress)
    /// Return a drained backend to rotation (with slow start).
    case undrain(address: BackendAddress)

    /// The command as an operator would type it, for reasons and the journal.
    package var text: String {
        switch self {
        case .failover: "failover"
        case .failback: "failback"
        case .drain(let address): "drain \(address)"
        case .undrain(let address): "undrain \(address)"
        }
    }
}
