extension WeightPlanner {
    /// Whether `next` is worth applying over `previous`, the routing the proxy has now: every new
    /// routing reloads nginx, so under ``WeightsPolicy/minChange`` a plain weight move applies only
    /// once some backend's weight moves by at least that share of its routed weight. A change of
    /// members or of any backend's state (ejection, drain, failover, panic) and every slow-start
    /// step apply at once; they are what the routing is for.
    func isMaterial(_ next: [BackendRouting], since previous: [BackendRouting]) -> Bool {
        guard policy.minChange.value > 0, next.count == previous.count else { return true }
        for (old, new) in zip(previous, next) {
            if old.address != new.address || old.state != new.state || new.state == .slowStart { return true }
            let move = abs(new.weight - old.weight)
            if move > 0 && Double(move) >= policy.minChange.fraction * Double(old.weight) { return true }
        }
        return false
    }
}
