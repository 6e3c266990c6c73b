/// One backend's place in the traffic split: its integer proxy weight and why it has it.
package struct BackendRouting: Sendable, Hashable, Codable {
    /// The backend.
    package var address: BackendAddress
    /// The integer weight in the policy's range; 0 for a backend that gets no traffic.
    package var weight: Int
    /// Why the backend does or does not get traffic.
    package var state: State

    /// Creates a routing entry.
    package init(address: BackendAddress, weight: Int, state: State) {
        self.address = address
        self.weight = weight
        self.state = state
    }

    /// Routing states, in the terms an applier maps to nginx (`down`, `backup`) and HAProxy
    /// (`set server state ready|drain|maint`).
    package enum State: String, Sendable, Hashable, Codable {
        /// In rotation.
        case serving
        /// In rotation and ramping up after joining or recovering.
        case slowStart = "slow_start"
        /// Out of rotation: failing its checks.
        case ejected
        /// Out of rotation on an operator's request.
        case drained
        /// Waiting in the tier that is not serving.
        case standby
    }
}
