/// What one scaling signal asks for: a replica count with its explanation, or nothing usable.
enum ReplicaProposal: Sendable, Hashable {
    /// A replica count and the reason, naming the values that produced it.
    case replicas(Int, reason: String)
    /// The signal could not be used; an invalid signal blocks scale-down.
    case invalid(reason: String)

    /// The HPA replica calculator for one target: `ceil(ratio × ready)` with the tolerance band,
    /// and the missing-pod rule (missing backends count as 0 on scale-up and as exactly the target
    /// on scale-down, unready backends as 0 on scale-up; a proposal that changes direction once
    /// they are counted is dropped). Without `explains`, the reason of a count is left empty.
    static func forTarget(_ target: ScalingTarget, reading: MetricReading, current: Int, explains: Bool = true) -> ReplicaProposal {
        let name = target.signal
        switch reading {
        case .failed(let error):
            return .invalid(reason: "signal \(name) unavailable: \(error)")
        case .pool(let value):
            let ratio = value / target.value
            let base = explains ? "\(name) \(Reason.number(value)) vs target \(Reason.number(target.value)) (ratio \(Reason.number(ratio)))" : ""
            if abs(1 - ratio) <= target.tolerance {
                return .replicas(current, reason: explains ? "\(base) within tolerance \(Reason.number(target.tolerance))" : "")
            }
            let proposed = current == 0 ? ceilInt(ratio) : ceilInt(ratio * Double(current))
            return .replicas(proposed, reason: explains ? "\(base) over \(current) replicas proposes \(proposed)" : "")
        case .backends(let tally):
            return forBackends(target, tally, current: current, explains: explains)
        }
    }

    private static func forBackends(_ target: ScalingTarget, _ tally: BackendTally, current: Int, explains: Bool) -> ReplicaProposal {
        let name = target.signal
        let (sum, ready, missing, unready) = (tally.sum, tally.reported, tally.missing, tally.unready)
        guard ready > 0 else {
            return .invalid(reason: "no backend reported \(name)")
        }
        let ratio = sum / Double(ready) / target.value
        let base =
            explains
            ? "\(name) average \(Reason.number(sum / Double(ready))) vs target \(Reason.number(target.value)) (ratio \(Reason.number(ratio)))" : ""
        let scaleUpWithUnready = unready > 0 && ratio > 1
        if !scaleUpWithUnready && missing == 0 {
            if abs(1 - ratio) <= target.tolerance {
                return .replicas(current, reason: explains ? "\(base) within tolerance \(Reason.number(target.tolerance))" : "")
            }
            let proposed = ceilInt(ratio * Double(ready))
            return .replicas(proposed, reason: explains ? "\(base) over \(ready) backends proposes \(proposed)" : "")
        }
        var adjustedSum = sum
        var counted = ready
        if missing > 0 {
            if ratio < 1 {
                adjustedSum += Double(missing) * target.value
            }
            counted += missing
        }
        if scaleUpWithUnready {
            counted += unready
        }
        let newRatio = adjustedSum / Double(counted) / target.value
        func reason(_ outcome: @autoclosure () -> String) -> String {
            guard explains else { return "" }
            let assumption =
                "\(missing) missing and \(scaleUpWithUnready ? unready : 0) unready counted as "
                + (ratio < 1 ? "at target" : "0") + " (ratio \(Reason.number(newRatio)))"
            return "\(base); \(assumption) \(outcome())"
        }
        if abs(1 - newRatio) <= target.tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
            return .replicas(current, reason: reason("keeps \(current)"))
        }
        let proposed = ceilInt(newRatio * Double(counted))
        if (newRatio < 1 && proposed > current) || (newRatio > 1 && proposed < current) {
            return .replicas(current, reason: reason("keeps \(current)"))
        }
        return .replicas(proposed, reason: reason("proposes \(proposed)"))
    }

    /// Step scaling (AWS step adjustments, Nomad's threshold strategy): the first band holding the
    /// pool-wide value adjusts the current count; no band means no change.
    static func forSteps(_ steps: StepScaling, value: Double, current: Int) -> ReplicaProposal {
        let name = steps.signal
        guard let band = steps.thresholds.first(where: { $0.contains(value) }) else {
            return .replicas(current, reason: "\(name) \(Reason.number(value)) is in no step band")
        }
        let proposed: Int
        let rule: String
        switch band.adjustment {
        case .delta(let delta):
            proposed = current + delta
            rule = delta >= 0 ? "+\(delta)" : "\(delta)"
        case .percent(let percent):
            proposed = current + percentStep(Double(current) * percent / 100)
            rule = "\(Reason.number(percent))%"
        case .exact(let count):
            proposed = count
            rule = "=\(count)"
        }
        let bounds = "[\(band.lower.map(Reason.number) ?? "-inf"), \(band.upper.map(Reason.number) ?? "+inf"))"
        return .replicas(
            Swift.max(0, proposed),
            reason: "\(name) \(Reason.number(value)) in step \(bounds) adjusts \(rule) to \(Swift.max(0, proposed))"
        )
    }

    /// AWS rounds a percentage change toward zero but never below one replica of movement.
    private static func percentStep(_ change: Double) -> Int {
        if change == 0 { return 0 }
        if abs(change) < 1 { return change > 0 ? 1 : -1 }
        return Int(change.rounded(.towardZero))
    }

    /// `value` rounded up, held within what a replica count can be (a metric of 1e300 or a tiny
    /// target cannot trap the conversion; min/max clamp it further).
    static func ceilInt(_ value: Double) -> Int {
        guard value.isFinite else { return value < 0 ? 0 : 1_000_000 }
        return Int(Swift.min(Swift.max(value.rounded(.up), -1_000_000), 1_000_000))
    }
}
