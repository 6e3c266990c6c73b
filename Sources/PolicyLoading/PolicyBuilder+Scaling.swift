import Policy

extension PolicyBuilder {
    mutating func buildScaling(_ object: CheckedObject) -> ScalingPolicy? {
        let min = object.integer("min") ?? ScalingPolicy(max: 1).min
        requireOrdered("min", min, "max", object.integer("max"), in: object)
        if object.has("target") && object.has("targets") {
            report("scaling takes either \"target\" or \"targets\", not both", at: object.position(of: "targets"))
        }
        if !object.has("target") && !object.has("targets") && !object.has("steps") {
            report("scaling needs a \"target\", \"targets\" or \"steps\" to decide from", at: object.position)
        }
        var targets: [ScalingTarget] = []
        let targetObjects =
            object.object("target").map { [$0] }
            ?? (object.list("targets") ?? []).compactMap { item -> CheckedObject? in
                if case .object(let target) = item.value { target } else { nil }
            }
        for target in targetObjects {
            guard let signal = target.text("signal") else { continue }
            requireSignal(signal, at: target.position(of: "signal"), usedBy: target.path("signal"))
            guard let value = target.number("value") else { continue }
            targets.append(
                ScalingTarget(
                    signal: signal,
                    value: value,
                    tolerance: target.number("tolerance") ?? ScalingTarget(signal: signal, value: value).tolerance
                )
            )
        }
        let steps = object.object("steps").flatMap { buildSteps($0) }
        let fallback = object.object("fallback").flatMap { fallback -> ScalingFallback? in
            guard let replicas = fallback.integer("replicas") else { return nil }
            if let max = object.integer("max"), replicas > max || replicas < min {
                report(
                    "scaling.fallback.replicas (\(replicas)) must be within scaling.min..scaling.max (\(min)-\(max))",
                    at: fallback.position(of: "replicas")
                )
            }
            return ScalingFallback(
                replicas: replicas,
                afterFailures: fallback.integer("after_failures") ?? ScalingFallback(replicas: replicas).afterFailures
            )
        }
        guard let max = object.integer("max") else { return nil }
        return ScalingPolicy(
            min: min,
            max: max,
            targets: targets,
            up: object.object("up").map { buildBehavior($0, defaults: .hpaScaleUp) } ?? .hpaScaleUp,
            down: object.object("down").map { buildBehavior($0, defaults: .hpaScaleDown) } ?? .hpaScaleDown,
            cooldown: object.duration("cooldown") ?? .zero,
            steps: steps,
            fallback: fallback,
            hook: object.object("hook").flatMap(buildHook)
        )
    }

    private mutating func buildBehavior(_ object: CheckedObject, defaults: ScalingBehavior) -> ScalingBehavior {
        var policies: [ScalingRateLimit] = []
        for item in object.list("policies") ?? [] {
            guard case .object(let policy) = item.value,
                let kind = requireOne(of: ["replicas", "percent"], in: policy, what: policy.keyPath),
                let period = policy.duration("period")
            else { continue }
            if period == .zero { report("\(policy.path("period")) must be longer than 0s", at: policy.position(of: "period")) }
            if kind == "replicas", let replicas = policy.integer("replicas") {
                policies.append(ScalingRateLimit(change: .replicas(replicas), period: period))
            } else if let percent = policy.percent("percent") {
                policies.append(ScalingRateLimit(change: .percent(percent.value), period: period))
            }
        }
        return ScalingBehavior(
            stabilization: object.duration("stabilization") ?? defaults.stabilization,
            policies: object.has("policies") ? policies : defaults.policies,
            select: object.text("select").flatMap(ScalingSelect.init(rawValue:)) ?? defaults.select
        )
    }

    private mutating func buildSteps(_ object: CheckedObject) -> StepScaling? {
        guard let signal = object.text("signal") else { return nil }
        requireSignal(signal, at: object.position(of: "signal"), usedBy: "scaling.steps.signal")
        var thresholds: [StepThreshold] = []
        for item in object.list("thresholds") ?? [] {
            guard case .object(let band) = item.value else { continue }
            requireOrdered("lower", band.number("lower"), "upper", band.number("upper"), in: band)
            if !band.has("lower") && !band.has("upper") {
                report("\(band.keyPath) needs \"lower\", \"upper\" or both", at: band.position)
            }
            let adjustment: StepThreshold.Adjustment?
            switch requireOne(of: ["adjustment", "percent", "set"], in: band, what: band.keyPath) {
            case "adjustment": adjustment = band.integer("adjustment").map(StepThreshold.Adjustment.delta)
            case "percent": adjustment = band.percent("percent").map { .percent($0.value) }
            case "set": adjustment = band.integer("set").map(StepThreshold.Adjustment.exact)
            default: adjustment = nil
            }
            if let adjustment {
                thresholds.append(StepThreshold(lower: band.number("lower"), upper: band.number("upper"), adjustment: adjustment))
            }
        }
        return StepScaling(signal: signal, thresholds: thresholds)
    }
}
