/// Everything the engine remembers about one backend, kept in one array sorted by address so an
/// evaluation walks backends by position instead of hashing addresses.
public struct BackendState: Sendable, Hashable, Codable {
    /// The backend.
    public var address: BackendAddress
    /// The tier it belongs to.
    public var tier: FailoverState.Tier
    /// Rise/fall and ejection state.
    public var health = BackendHealth()
    /// Weight memory; `nil` until it is first weighed.
    public var weight: BackendWeightState?
    /// Whether an operator drained it.
    public var drained = false

    /// Creates the state of a backend never evaluated.
    public init(address: BackendAddress, tier: FailoverState.Tier) {
        self.address = address
        self.tier = tier
    }
}
