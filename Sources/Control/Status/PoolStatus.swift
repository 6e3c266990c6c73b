package import Foundation

/// A pool as `/api/v1/pools` shows it: what the engine decided and why, what the proxy carries,
/// and what each backend looks like to the collector.
package struct PoolStatus: Sendable, Codable {
    package var pool: String
    package var policyFile: String
    package var applier: String
    package var dryRun: Bool
    /// When the pool was last evaluated (ms since the epoch), nil before the first evaluation.
    package var evaluatedAt: Int64?
    package var evaluationIntervalSeconds: Double
    package var servingTier: String
    package var panic: Bool
    /// Seconds left in the failover hold-down (0 when none applies).
    package var holdDownRemainingSeconds: Double
    /// Whether the proxy carries the engine's routing.
    package var applied: Bool
    package var lastApplyError: String?
    package var lastAppliedAt: Int64?
    package var backends: [BackendStatus]
    package var scaling: ScalingStatus?
    /// Signal name → why it had no value at the last evaluation.
    package var signalErrors: [String: String]
    /// The newest decisions first.
    package var decisions: [DecisionStatus]
}

/// One backend of a pool.
package struct BackendStatus: Sendable, Codable {
    package var address: String
    package var tier: String
    /// `healthy`, `unhealthy` or `unknown` (never scraped).
    package var health: String
    package var up: Bool?
    package var state: String
    package var desiredWeight: Int
    /// The weight the proxy carries; nil before any apply succeeded.
    package var appliedWeight: Int?
    package var ejectedUntil: Int64?
    /// 0..1 while ramping up after joining or recovering, nil otherwise.
    package var slowStartProgress: Double?
    package var lastScrape: Int64?
    package var lastError: String
    package var signals: [String: Double]
}

/// A pool's scaling.
package struct ScalingStatus: Sendable, Codable {
    package var current: Int
    package var desired: Int
    package var min: Int
    package var max: Int
    package var reason: String
}

/// One decision, as the status API and the journal endpoint show it.
package struct DecisionStatus: Sendable, Codable {
    package var time: Int64
    package var pool: String
    package var kind: String
    package var origin: String
    package var reason: String
    /// The whole decision, as the journal keeps it.
    package var decision: String
    /// The HA leader's fencing epoch it was applied under (absent outside an HA pair and for a
    /// follower's decisions).
    package var epoch: Int64?

    package init(time: Int64, pool: String, kind: String, origin: String, reason: String, decision: String, epoch: Int64? = nil) {
        self.time = time
        self.pool = pool
        self.kind = kind
        self.origin = origin
        self.reason = reason
        self.decision = decision
        self.epoch = epoch
    }
}

extension JSONEncoder {
    /// The encoder of Ballast's own API: keys sorted, so bodies are stable for tools and tests;
    /// NaN and infinities as Prometheus writes them (`"NaN"`, `"+Inf"`, `"-Inf"`), since a signal
    /// of 0/0 is ordinary and JSON has no number for it.
    package static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return encoder
    }
}

extension JSONDecoder {
    /// Reads what ``JSONEncoder/api`` writes (persisted and shared engine states).
    package static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return decoder
    }
}

/// `GET /api/v1/status`: the instance as a whole, its HA role and epoch among it.
package struct InstanceStatus: Sendable, Codable {
    package var version: String
    /// The HA pair's view from this instance; absent outside a pair.
    package var ha: HAStatus?
    package var pools: [String]

    package init(version: String, ha: HAStatus?, pools: [String]) {
        self.version = version
        self.ha = ha
        self.pools = pools
    }
}
