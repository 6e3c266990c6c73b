/// `targets` is left out when empty (a steps-only policy), since a policy's list needs an item.
extension ScalingPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case min, max, targets, up, down, cooldown, steps, fallback, hook
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            min: try container.decode(Int.self, forKey: .min),
            max: try container.decode(Int.self, forKey: .max),
            targets: try container.decodeIfPresent([ScalingTarget].self, forKey: .targets) ?? [],
            up: try container.decode(ScalingBehavior.self, forKey: .up),
            down: try container.decode(ScalingBehavior.self, forKey: .down),
            cooldown: try container.decode(PolicyDuration.self, forKey: .cooldown),
            steps: try container.decodeIfPresent(StepScaling.self, forKey: .steps),
            fallback: try container.decodeIfPresent(ScalingFallback.self, forKey: .fallback),
            hook: try container.decodeIfPresent(HookCommand.self, forKey: .hook)
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(min, forKey: .min)
        try container.encode(max, forKey: .max)
        if !targets.isEmpty { try container.encode(targets, forKey: .targets) }
        try container.encode(up, forKey: .up)
        try container.encode(down, forKey: .down)
        try container.encode(cooldown, forKey: .cooldown)
        try container.encodeIfPresent(steps, forKey: .steps)
        try container.encodeIfPresent(fallback, forKey: .fallback)
        try container.encodeIfPresent(hook, forKey: .hook)
    }
}

/// Written `{replicas: N, period: D}` or `{percent: P%, period: D}`, as in a policy file.
extension ScalingRateLimit: Codable {
    enum CodingKeys: String, CodingKey {
        case replicas, percent, period
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let change: Change =
            switch try container.onlyOne(of: [.replicas, .percent]) {
            case .replicas: .replicas(try container.decode(Int.self, forKey: .replicas))
            default: .percent(try container.decodePercentOrNumber(forKey: .percent).value)
            }
        self.init(change: change, period: try container.decode(PolicyDuration.self, forKey: .period))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch change {
        case .replicas(let count): try container.encode(count, forKey: .replicas)
        case .percent(let value): try container.encode(Percent(value), forKey: .percent)
        }
        try container.encode(period, forKey: .period)
    }
}

/// A band's adjustment is written as the key naming its kind: `adjustment`, `percent` or `set`.
extension StepThreshold: Codable {
    enum CodingKeys: String, CodingKey {
        case lower, upper, adjustment, percent, set
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let adjustment: Adjustment =
            switch try container.onlyOne(of: [.adjustment, .percent, .set]) {
            case .adjustment: .delta(try container.decode(Int.self, forKey: .adjustment))
            case .set: .exact(try container.decode(Int.self, forKey: .set))
            default: .percent(try container.decodePercentOrNumber(forKey: .percent).value)
            }
        self.init(
            lower: try container.decodeIfPresent(Double.self, forKey: .lower),
            upper: try container.decodeIfPresent(Double.self, forKey: .upper),
            adjustment: adjustment
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(lower, forKey: .lower)
        try container.encodeIfPresent(upper, forKey: .upper)
        switch adjustment {
        case .delta(let count): try container.encode(count, forKey: .adjustment)
        case .percent(let value): try container.encode(Percent(value), forKey: .percent)
        case .exact(let count): try container.encode(count, forKey: .set)
        }
    }
}
