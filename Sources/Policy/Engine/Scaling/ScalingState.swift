/// What the HPA keeps between reconciliations, as a value: recent recommendations for the
/// stabilization windows, recent scale events for the rate limits, and failure counts for the
/// fallback.
public struct ScalingState: Sendable, Hashable, Codable {
    /// A replica count (or change) at a time.
    public struct Record: Sendable, Hashable, Codable {
        /// When it was recorded.
        public var time: PolicyInstant
        /// Replicas (a recommendation) or a change in replicas (a scale event).
        public var replicas: Int
    }

    /// Unstabilized recommendations still inside a stabilization window.
    public var recommendations: [Record] = []
    /// Scale-up events still inside a rate-limit period (replicas added).
    public var scaleUpEvents: [Record] = []
    /// Scale-down events still inside a rate-limit period (replicas removed).
    public var scaleDownEvents: [Record] = []
    /// When the last scale event was decided, for the cooldown.
    public var lastScaleAt: PolicyInstant?
    /// Consecutive failed evaluations per signal, for the fallback.
    public var signalFailures: [String: Int] = [:]
    /// The replica count last decided.
    public var desiredReplicas: Int?

    /// Creates an empty state: nothing recommended or scaled yet.
    public init() {}
}
