/// Backend health from scrape success and the policy's condition, with HAProxy's rise/fall
/// hysteresis and Envoy's outlier ejection (growing ejection time, a cap on the ejected share).
///
/// The cap is Envoy's: at most `max_ejected` of a tier, but at least one backend whatever the
/// percentage. Ejection alone may empty a tier; panic mode (in the engine) is what keeps traffic
/// flowing then, as in Envoy, and it does so whatever the panic threshold.
struct HealthTracker {
    let policy: HealthPolicy

    /// Updates one backend's rise/fall counters from this evaluation's check. A failed scrape
    /// counts the scrapes of its streak (`BackendSignals.upStreak`) when given; so does the
    /// recovery from one; a failed condition counts evaluations.
    func observe(_ health: inout BackendHealth, signals: BackendSignals?) {
        let streak = signals?.upStreak
        switch check(signals) {
        case nil:
            break
        case .some(nil):
            if let streak, health.lastFailure == Self.scrapeFailure {
                health.consecutiveSuccesses = streak
            } else {
                health.consecutiveSuccesses += 1
            }
            health.consecutiveFailures = 0
            if !health.healthy && health.consecutiveSuccesses >= policy.healthyAfter {
                health.healthy = true
            }
        case .some(let failure?):
            if let streak, failure == Self.scrapeFailure {
                health.consecutiveFailures = streak
            } else {
                health.consecutiveFailures += 1
            }
            health.consecutiveSuccesses = 0
            health.lastFailure = failure
            if health.healthy && health.consecutiveFailures >= policy.unhealthyAfter {
                health.healthy = false
            }
        }
    }

    /// Ends expired ejections (or renews them for backends still failing), ejects newly unhealthy
    /// backends of one tier (`tier` indexes `backends`) within the cap and decays ejection
    /// multipliers; returns the decisions and the indices of backends returned to rotation (they
    /// restart their slow start).
    func eject(_ tier: [Int], backends: inout [BackendState], now: PolicyInstant) -> (decisions: [DecisionDraft], restored: [Int]) {
        var actions: [DecisionDraft] = []
        var restored: [Int] = []
        var ejectedCount = 0
        for index in tier {
            guard let until = backends[index].health.ejectedUntil else { continue }
            let address = backends[index].address
            if now >= until {
                if backends[index].health.healthy {
                    backends[index].health.ejectedUntil = nil
                    backends[index].health.decayAt = now + policy.ejectFor
                    restored.append(index)
                    actions.append(DecisionDraft(.restore(address: address), reason: "ejection of \(address) ended and it passes its checks again"))
                    continue
                }
                let newUntil = ejectionEnd(after: &backends[index].health, now: now)
                actions.append(
                    DecisionDraft(
                        .eject(address: address, until: newUntil),
                        reason:
                            "\(address) still failing (\(backends[index].health.lastFailure ?? "unknown")) when its ejection ended; ejected again for \(newUntil - now) (ejection \(backends[index].health.ejections))"
                    )
                )
            }
            ejectedCount += 1
        }
        let allowed = Self.maxEjections(tierSize: tier.count, share: policy.maxEjected)
        for index in tier {
            if backends[index].health.ejectedUntil == nil && !backends[index].health.healthy {
                let address = backends[index].address
                if ejectedCount < allowed {
                    let until = ejectionEnd(after: &backends[index].health, now: now)
                    backends[index].health.ejectionCapped = false
                    ejectedCount += 1
                    actions.append(
                        DecisionDraft(
                            .eject(address: address, until: until),
                            reason:
                                "\(address) failed \(Self.checks(backends[index].health.consecutiveFailures)) (\(backends[index].health.lastFailure ?? "unknown"), unhealthy after \(policy.unhealthyAfter)); ejected for \(until - now) (ejection \(backends[index].health.ejections))"
                        )
                    )
                } else if !backends[index].health.ejectionCapped {
                    backends[index].health.ejectionCapped = true
                    actions.append(
                        DecisionDraft(
                            .ejectionCapped(address: address),
                            reason:
                                "\(address) is unhealthy (\(backends[index].health.lastFailure ?? "unknown")) but \(ejectedCount) of \(tier.count) backends are already ejected (max_ejected \(policy.maxEjected)); it is not ejected"
                        )
                    )
                }
            } else if backends[index].health.ejectedUntil == nil && backends[index].health.ejections > 0,
                let decayAt = backends[index].health.decayAt, now >= decayAt
            {
                backends[index].health.ejections -= 1
                backends[index].health.decayAt = backends[index].health.ejections > 0 ? now + policy.ejectFor : nil
            }
            if backends[index].health.healthy && backends[index].health.ejectionCapped { backends[index].health.ejectionCapped = false }
        }
        return (actions, restored)
    }

    /// Ejects until base ejection time × number of ejections, capped (the cap is never below the
    /// base), as Envoy does.
    private func ejectionEnd(after health: inout BackendHealth, now: PolicyInstant) -> PolicyInstant {
        // Saturating: a persisted or shared state is data, and a count at its limit must not trap.
        health.ejections = health.ejections == .max ? .max : health.ejections + 1
        let cap = Swift.max(policy.ejectFor.milliseconds, policy.maxEjectFor.milliseconds)
        let (product, overflow) = policy.ejectFor.milliseconds.multipliedReportingOverflow(by: Int64(health.ejections))
        let until = now + PolicyDuration(milliseconds: overflow ? cap : Swift.min(product, cap))
        health.decayAt = nil
        health.ejectedUntil = until
        return until
    }

    /// The failure a failed scrape records.
    static let scrapeFailure = "scrape failed"

    /// "a check" or "3 checks in a row", for reasons.
    private static func checks(_ count: Int) -> String {
        count == 1 ? "a check" : "\(count) checks in a row"
    }

    /// How many backends of a tier may be ejected at once.
    static func maxEjections(tierSize: Int, share: Percent) -> Int {
        let byShare = Int((Double(tierSize) * share.fraction).rounded(.down))
        return Swift.min(tierSize, Swift.max(1, byShare))
    }

    /// `nil` when nothing is known yet, `.some(nil)` when the backend passes, and the failure
    /// otherwise.
    private func check(_ signals: BackendSignals?) -> String?? {
        guard let signals, let up = signals.up else { return nil }
        if !up { return .some(Self.scrapeFailure) }
        if let condition = policy.ejectWhen, let value = signals.value(of: condition.signal), condition.holds(for: value) {
            return .some("\(condition.signal) \(Reason.number(value)) \(condition.comparison.rawValue) \(Reason.number(condition.threshold))")
        }
        return .some(nil)
    }
}
