import Policy

extension ScalingPolicy {
    static var keys: PolicySection<ScalingPolicy> {
        PolicySection(
            "How many replicas the pool needs (the Kubernetes HPA pipeline).",
            template: ScalingPolicy(max: 1),
            keys: [
                .value("min", \.min, .integer(0...100_000), "The fewest replicas."),
                .value("max", \.max, .integer(1...100_000), "The most replicas.", required: true),
                .custom(
                    "target",
                    ScalingTarget.keys.node,
                    load: { checked, scaling, builder in
                        if case .object(let object) = checked.value { scaling.targets = [ScalingTarget.keys.build(object, &builder)] }
                    },
                    encode: { _ in nil }
                ),
                .list("targets", \.targets, ScalingTarget.keys, "Several targets; the largest proposal wins."),
                .section("up", \.up, ScalingBehavior.keys(direction: "up", template: .hpaScaleUp)),
                .section("down", \.down, ScalingBehavior.keys(direction: "down", template: .hpaScaleDown)),
                .value("cooldown", \.cooldown, .duration, "No scale event for this long after one."),
                .section("steps", \.steps, StepScaling.keys),
                .section("fallback", \.fallback, ScalingFallback.keys),
                .section("hook", \.hook, HookCommand.keys("The command that changes the replica count.")),
                .section("predictive", \.predictive, PredictiveScaling.keys),
            ],
            finish: { object, scaling, builder in
                builder.requireOrdered("min", scaling.min, "max", object.integer("max"), in: object)
                if object.has("target") && object.has("targets") {
                    builder.report("scaling takes either \"target\" or \"targets\", not both", at: object.position(of: "targets"))
                }
                if object.has("predictive") && !object.has("target") && !object.has("targets") {
                    builder.report(
                        "scaling.predictive needs a target (it forecasts the first target's signal)",
                        at: object.position(of: "predictive")
                    )
                }
                if !object.has("target") && !object.has("targets") && !object.has("steps") {
                    builder.report("scaling needs a \"target\", \"targets\" or \"steps\" to decide from", at: object.position)
                }
                if let fallback = scaling.fallback, let max = object.integer("max"), fallback.replicas > max || fallback.replicas < scaling.min,
                    let position = object.object("fallback")?.position(of: "replicas")
                {
                    builder.report(
                        "scaling.fallback.replicas (\(fallback.replicas)) must be within scaling.min..scaling.max (\(scaling.min)-\(max))",
                        at: position
                    )
                }
            }
        )
    }
}

extension PredictiveScaling {
    static var keys: PolicySection<PredictiveScaling> {
        PolicySection(
            "Scale ahead of the demand learnt per slot of a season; never below what the targets ask.",
            template: PredictiveScaling(),
            keys: [
                .value("season", \.season, .duration, "The period the load repeats over (UTC days by default)."),
                .value("resolution", \.resolution, .duration, "The width of a slot of the season."),
                .value("lead", \.lead, .duration, "How far ahead to provision; set it to capacity.startup."),
                .value("learning_rate", \.learningRate, .number(0...1, exclusiveMinimum: true), "Weight of the newest observation of a slot."),
                .value("min_seasons", \.minSeasons, .integer(1...1000), "Seasons a slot must have been seen in before it is used."),
            ],
            finish: { object, predictive, builder in
                builder.requireLongerThanZero("season", predictive.season, in: object)
                builder.requireLongerThanZero("resolution", predictive.resolution, in: object)
                if predictive.resolution > predictive.season {
                    builder.report("scaling.predictive.resolution must not exceed the season", at: object.position(of: "resolution"))
                } else if predictive.resolution > .zero, predictive.slots > PredictiveScaling.maximumSlots {
                    builder.report(
                        "scaling.predictive has \(predictive.slots) slots (season / resolution), more than \(PredictiveScaling.maximumSlots); "
                            + "use a resolution of at least \(PolicyDuration(milliseconds: (predictive.season.milliseconds + Int64(PredictiveScaling.maximumSlots) - 1) / Int64(PredictiveScaling.maximumSlots)))",
                        at: object.position(of: "resolution")
                    )
                }
            }
        )
    }
}

extension ScalingTarget {
    static var keys: PolicySection<ScalingTarget> {
        PolicySection(
            "Keep the signal's per-replica value near value.",
            template: ScalingTarget(signal: "", value: 1),
            keys: [
                .value("signal", \.signal, .string(.signalName), "The signal tracked.", required: true),
                .value(
                    "value",
                    \.value,
                    .number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: true),
                    "The desired per-replica value.",
                    required: true
                ),
                .value("tolerance", \.tolerance, .number(0...1, exclusiveMinimum: false), "Relative band without change."),
            ],
            finish: { object, _, builder in
                if let signal = object.text("signal") {
                    builder.requireSignal(signal, at: object.position(of: "signal"), usedBy: object.path("signal"))
                }
            }
        )
    }
}

extension ScalingBehavior {
    static func keys(direction: String, template: ScalingBehavior) -> PolicySection<ScalingBehavior> {
        PolicySection(
            "Stabilization and rate limits when scaling \(direction).",
            template: template,
            keys: [
                .value("stabilization", \.stabilization, .duration, "Window over which recommendations are combined."),
                .custom(
                    "policies",
                    SchemaNode(
                        .list(ScalingRateLimit.keys.node, minimumCount: 1),
                        "Rate limits.",
                        default: ScalingRateLimit.document(of: template.policies)
                    ),
                    load: { checked, behavior, builder in
                        guard case .list(let items) = checked.value else { return }
                        behavior.policies = items.compactMap { item in
                            if case .object(let object) = item.value { ScalingRateLimit.keys.build(object, &builder) } else { nil }
                        }
                    },
                    encode: { ScalingRateLimit.document(of: $0.policies) }
                ),
                .value("select", \.select, ScalingSelect.enumeration, "Which rate limit wins."),
            ]
        )
    }
}

extension ScalingRateLimit {
    /// Rate limits as a policy writes them.
    static func document(of limits: [ScalingRateLimit]) -> PolicyDocument {
        .list(limits.map(keys.document(of:)))
    }

    static var keys: PolicySection<ScalingRateLimit> {
        PolicySection(
            "A rate limit: replicas or percent per period.",
            template: ScalingRateLimit(change: .replicas(1), period: .seconds(15)),
            keys: [
                .choice(
                    "replicas",
                    \.change,
                    .integer(1...1_000_000),
                    "Replicas that may change per period.",
                    embed: { (count: Int) in .replicas(count) },
                    extract: { if case .replicas(let count) = $0 { count } else { nil } }
                ),
                .choice(
                    "percent",
                    \.change,
                    .percentOrNumber(0...100_000),
                    "Share of replicas that may change per period.",
                    embed: { (share: Percent) in .percent(share.value) },
                    extract: { if case .percent(let value) = $0 { Percent(value) } else { nil } }
                ),
                .value("period", \.period, .duration, "The window the change is counted over.", required: true),
            ],
            finish: { object, limit, builder in
                _ = builder.requireOne(of: ["replicas", "percent"], in: object, what: object.keyPath)
                builder.requireLongerThanZero("period", limit.period, in: object)
            }
        )
    }
}

extension StepScaling {
    static var keys: PolicySection<StepScaling> {
        PolicySection(
            "Step scaling (AWS/Nomad style).",
            template: StepScaling(signal: "", thresholds: []),
            keys: [
                .value("signal", \.signal, .string(.signalName), "The signal whose pool value picks a band.", required: true),
                .custom(
                    "thresholds",
                    SchemaNode(.list(StepThreshold.keys.node, minimumCount: 1), "The bands, first match wins."),
                    required: true,
                    load: { checked, steps, builder in
                        guard case .list(let items) = checked.value else { return }
                        steps.thresholds = items.compactMap { item in
                            if case .object(let object) = item.value { StepThreshold.keys.build(object, &builder) } else { nil }
                        }
                    },
                    encode: { .list($0.thresholds.map(StepThreshold.keys.document(of:))) }
                ),
            ],
            finish: { object, _, builder in
                if let signal = object.text("signal") {
                    builder.requireSignal(signal, at: object.position(of: "signal"), usedBy: "scaling.steps.signal")
                }
            }
        )
    }
}

extension StepThreshold {
    private static let anyNumber = SchemaKind.number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, exclusiveMinimum: false)

    static var keys: PolicySection<StepThreshold> {
        PolicySection(
            "A band lower <= value < upper with one of adjustment, percent or set.",
            template: StepThreshold(lower: nil, upper: nil, adjustment: .delta(0)),
            keys: [
                .value("lower", \.lower, anyNumber, "Inclusive lower bound."),
                .value("upper", \.upper, anyNumber, "Exclusive upper bound."),
                .choice(
                    "adjustment",
                    \.adjustment,
                    .integer(-100_000...100_000),
                    "Replicas to add (negative removes).",
                    embed: { (count: Int) in .delta(count) },
                    extract: { if case .delta(let count) = $0 { count } else { nil } }
                ),
                .choice(
                    "percent",
                    \.adjustment,
                    .percentOrNumber(-100...100_000),
                    "Change by a share of the current replicas.",
                    embed: { (share: Percent) in .percent(share.value) },
                    extract: { if case .percent(let value) = $0 { Percent(value) } else { nil } }
                ),
                .choice(
                    "set",
                    \.adjustment,
                    .integer(0...100_000),
                    "Set an exact replica count.",
                    embed: { (count: Int) in .exact(count) },
                    extract: { if case .exact(let count) = $0 { count } else { nil } }
                ),
            ],
            finish: { object, band, builder in
                builder.requireOrdered("lower", band.lower, "upper", band.upper, in: object)
                if !object.has("lower") && !object.has("upper") {
                    builder.report("\(object.keyPath) needs \"lower\", \"upper\" or both", at: object.position)
                }
                _ = builder.requireOne(of: ["adjustment", "percent", "set"], in: object, what: object.keyPath)
            }
        )
    }
}

extension ScalingFallback {
    static var keys: PolicySection<ScalingFallback> {
        PolicySection(
            "KEDA-style fallback on persistent metric errors.",
            template: ScalingFallback(replicas: 0),
            keys: [
                .value("replicas", \.replicas, .integer(0...100_000), "Replicas held while metrics fail.", required: true),
                .value("after_failures", \.afterFailures, .integer(1...1000), "Consecutive failed evaluations first."),
            ]
        )
    }
}
