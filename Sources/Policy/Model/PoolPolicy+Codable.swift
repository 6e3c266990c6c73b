/// A policy encodes as the policy file it could have been loaded from: the YAML keys, units as
/// written (`15s`, `25%`), `signals` as a mapping. The daemon's status API shows it and replay
/// reports embed it, and the JSON loads back through ``PolicyLoader`` (JSON is YAML).
///
/// Decoding reads every value with the loader's parsers, so units and addresses are rejected with
/// the loader's messages; ranges and rules across keys (min ≤ max, defined signals) are checked by
/// ``PolicyLoader``, which people's policy files should go through.
extension PoolPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case pool, backends, scrape, signals, weights, health, failover, scaling, capacity, cost, replay, apply
        case evaluationInterval = "evaluation_interval"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            pool: try container.decode(String.self, forKey: .pool),
            backends: try container.decode(BackendSource.self, forKey: .backends),
            scrape: try container.decode(ScrapeSettings.self, forKey: .scrape),
            evaluationInterval: try container.decode(PolicyDuration.self, forKey: .evaluationInterval),
            signals: try container.decodeEntries(String.self, forKey: .signals).map(SignalDefinition.init),
            weights: try container.decodeIfPresent(WeightsPolicy.self, forKey: .weights),
            health: try container.decode(HealthPolicy.self, forKey: .health),
            failover: try container.decodeIfPresent(FailoverPolicy.self, forKey: .failover),
            scaling: try container.decodeIfPresent(ScalingPolicy.self, forKey: .scaling),
            capacity: try container.decodeIfPresent(CapacityModel.self, forKey: .capacity),
            cost: try container.decodeIfPresent(CostModel.self, forKey: .cost),
            replay: try container.decodeIfPresent(ReplaySettings.self, forKey: .replay),
            apply: try container.decode(ApplySettings.self, forKey: .apply)
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pool, forKey: .pool)
        try container.encode(backends, forKey: .backends)
        try container.encode(scrape, forKey: .scrape)
        try container.encode(evaluationInterval, forKey: .evaluationInterval)
        try container.encodeEntries(signals.map { ($0.name, $0.expression) }, forKey: .signals)
        try container.encodeIfPresent(weights, forKey: .weights)
        try container.encode(health, forKey: .health)
        try container.encodeIfPresent(failover, forKey: .failover)
        try container.encodeIfPresent(scaling, forKey: .scaling)
        try container.encodeIfPresent(capacity, forKey: .capacity)
        try container.encodeIfPresent(cost, forKey: .cost)
        try container.encodeIfPresent(replay, forKey: .replay)
        try container.encode(apply, forKey: .apply)
    }
}
