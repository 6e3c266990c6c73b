/// Everything the engine remembers about one backend, kept in one array sorted by address so an
/// evaluation walks backends by position instead of hashing addresses.
package struct BackendState: Sendable, Hashable, Codable {
    /// The backend.
    package var address: BackendAddress
    /// The tier it belongs to.
    package var tier: FailoverState.Tier
    /// Rise/fall and ejection state.
    package var health = BackendHealth()
    /// Weight memory; `nil` until it is first weighed.
    package var weight: BackendWeightState?
    /// Whether an operator drained it.
    package var drained = false

    /// Creates the state of a backend never evaluated.
    package init(address: BackendAddress, tier: FailoverState.Tier) {
        self.address = address
        self.tier = tier
    }
}
