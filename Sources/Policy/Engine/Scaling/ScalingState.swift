/// What the HPA keeps between reconciliations, as a value: recent recommendations for the
/// stabilization windows, recent scale events for the rate limits, and failure counts for the
/// fallback.
package struct ScalingState: Sendable, Hashable, Codable {
    /// A replica count (or change) at a time.
    package struct Record: Sendable, Hashable, Codable {
        /// When it was recorded.
        package var time: PolicyInstant
        /// Replicas (a recommendation) or a change in replicas (a scale event).
        package var replicas: Int
    }

    /// Unstabilized recommendations still inside a stabilization window.
    package var recommendations: [Record] = []
    /// Scale-up events still inside a rate-limit period (replicas added).
    package var scaleUpEvents: [Record] = []
    /// Scale-down events still inside a rate-limit period (replicas removed).
    package var scaleDownEvents: [Record] = []
    /// When the last scale event was decided, for the cooldown.
    package var lastScaleAt: PolicyInstant?
    /// Consecutive failed evaluations per signal, for the fallback.
    package var signalFailures: [String: Int] = [:]
    /// The replica count last decided.
    package var desiredReplicas: Int?
    /// Predictive scaling's learnt demand per slot of the season, with in how many seasons each
    /// slot was seen and the last of them; `nil` until a policy asks for it.
    package var seasonal: SeasonalProfile?

    /// Creates an empty state: nothing recommended or scaled yet.
    package init() {}
}

/// Learnt demand per slot of a season (see ``PredictiveScaling``).
package struct SeasonalProfile: Sendable, Hashable, Codable {
    package var demand: [Double]
    package var seasonsSeen: [Int]
    package var lastSeason: [Int64]

    init(slots: Int) {
        demand = Array(repeating: 0, count: slots)
        seasonsSeen = Array(repeating: 0, count: slots)
        lastSeason = Array(repeating: Int64.min, count: slots)
    }
}

extension [ScalingState.Record] {
    /// Drops the records made at or before `cutoff`. Records are appended in time order, so
    /// those are a prefix, removed with one move (a window slides by one record per evaluation,
    /// and removing by predicate rewrote the whole window each time); a state whose clock went
    /// back is scanned whole.
    mutating func dropRecords(through cutoff: PolicyInstant) {
        var (prefix, dropped) = (0, 0)
        for (index, record) in enumerated() where record.time <= cutoff {
            if index == prefix { prefix += 1 }
            dropped += 1
        }
        if dropped > prefix {
            removeAll { $0.time <= cutoff }
        } else if prefix > 0 {
            removeFirst(prefix)
        }
    }
}
