import Policy

extension WeightsPolicy {
    static var keys: PolicySection<WeightsPolicy> {
        PolicySection(
            "How traffic is split between healthy backends.",
            template: WeightsPolicy(),
            keys: [
                .value(
                    "strategy",
                    \.strategy,
                    WeightStrategy.enumeration,
                    "static: fixed weights; headroom: spare capacity below target; inverse: 1/signal; equal."
                ),
                .value("signal", \.signal, .string(.signalName), "The signal the strategy reads (headroom, inverse)."),
                .value(
                    "target",
                    \.target,
                    .number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, exclusiveMinimum: false),
                    "The signal's target (headroom)."
                ),
                .value("min", \.min, .integer(0...1_000_000), "The smallest integer weight."),
                .value("max", \.max, .integer(1...1_000_000), "The largest integer weight (HAProxy allows 256)."),
                .value("smoothing", \.smoothing, .number(0...1, exclusiveMinimum: true), "EWMA factor of the newest weight; 1 disables smoothing."),
                .value("max_step", \.maxStep, .percent(0...1000), "The largest change of a weight per evaluation."),
                .value(
                    "min_change",
                    \.minChange,
                    .percent(0...100),
                    "The smallest weight move, relative to the routed weight, that is applied; state changes always apply."
                ),
                .value("slow_start", \.slowStart, .duration, "Ramp time for new or recovered backends."),
                .value("stale_after", \.staleAfter, .duration, "Signals older than this are ignored."),
                .custom(
                    "static",
                    SchemaNode(
                        .map(key: .address, value: SchemaNode(.integer(0...1_000_000), "The backend's weight.")),
                        "Fixed weights per backend (static)."
                    ),
                    load: { checked, weights, builder in
                        guard case .map(let entries) = checked.value else { return }
                        for entry in entries {
                            guard let address = BackendAddress(checked: entry.key.value), let weight = Int(checked: entry.value.value) else {
                                continue
                            }
                            if weights.staticWeights.updateValue(weight, forKey: address) != nil {
                                builder.report("weights.static lists \(address) twice", at: entry.key.position)
                            }
                        }
                    },
                    encode: { weights in
                        weights.staticWeights.isEmpty
                            ? nil
                            : .object(
                                weights.staticWeights.sorted { $0.key.description < $1.key.description }
                                    .map { PolicyDocument.Entry(key: $0.key.description, value: .integer($0.value)) }
                            )
                    }
                ),
            ],
            finish: { object, weights, builder in
                if let signal = weights.signal { builder.requireSignal(signal, at: object.position(of: "signal"), usedBy: "weights.signal") }
                let strategy = weights.strategy
                switch strategy {
                case .headroom, .inverse:
                    if !object.has("signal") {
                        builder.report("weights.strategy \(strategy.rawValue) needs weights.signal", at: object.position(of: "strategy"))
                    }
                    if strategy == .headroom && !object.has("target") {
                        builder.report(
                            "weights.strategy headroom needs weights.target, the signal value at which a backend has no headroom",
                            at: object.position(of: "strategy")
                        )
                    }
                case .static:
                    if !object.has("static") {
                        builder.report("weights.strategy static needs weights.static, a weight per backend", at: object.position(of: "strategy"))
                    }
                case .equal:
                    break
                }
                builder.requireOrdered("min", weights.min, "max", weights.max, in: object)
            }
        )
    }
}

extension PolicyBuilder {
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
}

extension HealthPolicy {
    static var keys: PolicySection<HealthPolicy> {
        PolicySection(
            "When backends are unhealthy and how ejection is bounded.",
            template: HealthPolicy(),
            keys: [
                .value("unhealthy_after", \.unhealthyAfter, .integer(1...1000), "Consecutive failures before a backend is unhealthy."),
                .value("healthy_after", \.healthyAfter, .integer(1...1000), "Consecutive successes before it is healthy again."),
                .value("eject_when", \.ejectWhen, .condition, "A signal condition that counts as a failure, e.g. \"error_ratio > 0.05\"."),
                .value("eject_for", \.ejectFor, .duration, "The first ejection's length; later ones grow."),
                .value("max_eject_for", \.maxEjectFor, .duration, "The cap on one ejection's length."),
                .value("max_ejected", \.maxEjected, .percent(0...100), "The largest share of the pool ejected at once."),
                .value("panic_threshold", \.panicThreshold, .percent(0...100), "Below this healthy share every backend stays in rotation."),
            ],
            finish: { object, health, builder in
                if let ejectWhen = health.ejectWhen {
                    builder.requireSignal(ejectWhen.signal, at: object.position(of: "eject_when"), usedBy: "health.eject_when")
                }
                builder.requireOrdered("eject_for", health.ejectFor, "max_eject_for", health.maxEjectFor, in: object)
            }
        )
    }
}
