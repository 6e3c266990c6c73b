/// Predictive scaling: the engine learns the pool's demand per slot of a season (by default each
/// 15 minutes of a UTC day) from what it sees, and asks for the replicas the demand expected
/// `lead` from now needs at the first target's value: a replica started `lead` ahead is ready when
/// the load comes (set `lead` to `capacity.startup`). It only adds a proposal beside the reactive
/// ones, and the largest wins, so it never scales below what the targets ask; stabilization and
/// rate limits apply to it as to them. Demand is the target signal summed over the replicas (for
/// a utilisation, the load in replicas' worth); each slot keeps an exponentially weighted average
/// (`learning_rate` for the newest observation), used once it has been seen in `min_seasons`
/// seasons.
package struct PredictiveScaling: Sendable, Hashable {
    package var season: PolicyDuration
    package var resolution: PolicyDuration
    package var lead: PolicyDuration
    package var learningRate: Double
    package var minSeasons: Int

    package init(
        season: PolicyDuration = .seconds(86_400),
        resolution: PolicyDuration = .seconds(900),
        lead: PolicyDuration = .seconds(300),
        learningRate: Double = 0.3,
        minSeasons: Int = 1
    ) {
        self.season = season
        self.resolution = resolution
        self.lead = lead
        self.learningRate = learningRate
        self.minSeasons = minSeasons
    }

    /// The most slots a season may have: the profile is kept in the engine state, which is
    /// persisted at every evaluation (a week in minutes).
    package static let maximumSlots = 10_080

    /// Slots in a season.
    package var slots: Int { Swift.max(1, Int(season.milliseconds / Swift.max(resolution.milliseconds, 1))) }
}
