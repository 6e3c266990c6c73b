import Policy

extension PolicyBuilder {
    mutating func buildWeights(_ object: CheckedObject) -> WeightsPolicy {
        let defaults = WeightsPolicy()
        let strategy = object.text("strategy").flatMap(WeightStrategy.init(rawValue:)) ?? defaults.strategy
        let signal = object.text("signal")
        if let signal { requireSignal(signal, at: object.position(of: "signal"), usedBy: "weights.signal") }
        switch strategy {
        case .headroom, .inverse:
            if !object.has("signal") { report("weights.strategy \(strategy.rawValue) needs weights.signal", at: object.position(of: "strategy")) }
            if strategy == .headroom && !object.has("target") {
                report(
                    "weights.strategy headroom needs weights.target, the signal value at which a backend has no headroom",
                    at: object.position(of: "strategy")
                )
            }
        case .static:
            if !object.has("static") {
                report("weights.strategy static needs weights.static, a weight per backend", at: object.position(of: "strategy"))
            }
        case .equal:
            break
        }
        let min = object.integer("min") ?? defaults.min
        let max = object.integer("max") ?? defaults.max
        requireOrdered("min", min, "max", max, in: object)
        var staticWeights: [BackendAddress: Int] = [:]
        for entry in object.map("static") ?? [] {
            guard case .address(let address) = entry.key.value, case .integer(let weight) = entry.value.value else { continue }
            if staticWeights.updateValue(weight, forKey: address) != nil {
                report("weights.static lists \(address) twice", at: entry.key.position)
            }
        }
        return WeightsPolicy(
            strategy: strategy,
            signal: signal,
            target: object.number("target"),
            min: min,
            max: max,
            smoothing: object.number("smoothing") ?? defaults.smoothing,
            maxStep: object.percent("max_step"),
            minChange: object.percent("min_change") ?? defaults.minChange,
            slowStart: object.duration("slow_start") ?? defaults.slowStart,
            staleAfter: object.duration("stale_after") ?? defaults.staleAfter,
            staticWeights: staticWeights
        )
    }

    /// Integer weights must fit the proxy they are applied to: nginx needs at least 1, HAProxy at most 256.
    mutating func checkWeightRange(_ weights: WeightsPolicy, against apply: ApplySettings, root: CheckedObject) {
        guard let object = root.object("weights") else { return }
        if apply.nginx != nil && weights.min < 1 {
            report(
                "weights.min must be at least 1 with apply.nginx (nginx weights start at 1); drain backends through health instead",
                at: object.position(of: "min")
            )
        }
        if apply.haproxy != nil && weights.max > 256 {
            report("weights.max must be at most 256 with apply.haproxy (HAProxy's weight range is 0-256)", at: object.position(of: "max"))
        }
        for (address, weight) in weights.staticWeights where weight > weights.max || weight < weights.min {
            let position = object.map("static")?.first { if case .address(address) = $0.key.value { true } else { false } }?.value.position
            report(
                "weights.static weight \(weight) for \(address) is outside weights.min..weights.max (\(weights.min)-\(weights.max))",
                at: position ?? object.position
            )
        }
    }

    mutating func buildHealth(_ object: CheckedObject) -> HealthPolicy {
        let defaults = HealthPolicy()
        let ejectWhen = object.condition("eject_when")
        if let ejectWhen { requireSignal(ejectWhen.signal, at: object.position(of: "eject_when"), usedBy: "health.eject_when") }
        let ejectFor = object.duration("eject_for") ?? defaults.ejectFor
        let maxEjectFor = object.duration("max_eject_for") ?? defaults.maxEjectFor
        requireOrdered("eject_for", ejectFor, "max_eject_for", maxEjectFor, in: object)
        return HealthPolicy(
            unhealthyAfter: object.integer("unhealthy_after") ?? defaults.unhealthyAfter,
            healthyAfter: object.integer("healthy_after") ?? defaults.healthyAfter,
            ejectWhen: ejectWhen,
            ejectFor: ejectFor,
            maxEjectFor: maxEjectFor,
            maxEjected: object.percent("max_ejected") ?? defaults.maxEjected,
            panicThreshold: object.percent("panic_threshold") ?? defaults.panicThreshold
        )
    }

    mutating func buildFailover(_ object: CheckedObject) -> FailoverPolicy {
        let defaults = FailoverPolicy(standby: [])
        var standby: [BackendAddress] = []
        for item in object.list("standby") ?? [] {
            guard case .address(let address) = item.value else { continue }
            if standby.contains(address) {
                report("standby \(address) is listed twice in failover.standby", at: item.position)
            } else {
                standby.append(address)
            }
        }
        var eligibility = StandbyEligibility()
        if let maxLag = object.object("eligibility")?.object("max_lag"), let signal = maxLag.text("signal") {
            requireSignal(signal, at: maxLag.position(of: "signal"), usedBy: "failover.eligibility.max_lag.signal")
            eligibility.maxLag = maxLag.number("max").map { LagBound(signal: signal, max: $0) }
        }
        return FailoverPolicy(
            standby: standby,
            promote: object.object("promote").flatMap(buildHook),
            holdDown: object.duration("hold_down") ?? defaults.holdDown,
            overprovisioningFactor: object.number("overprovisioning_factor") ?? defaults.overprovisioningFactor,
            activateBelow: object.percent("activate_below"),
            failback: object.text("failback").flatMap(FailbackMode.init(rawValue:)) ?? defaults.failback,
            failbackDelay: object.duration("failback_delay") ?? defaults.failbackDelay,
            eligibility: eligibility
        )
    }

    func buildHook(_ object: CheckedObject) -> HookCommand? {
        object.argv("exec").map { HookCommand(argv: $0, timeout: object.duration("timeout") ?? HookCommand(argv: []).timeout) }
    }
}
