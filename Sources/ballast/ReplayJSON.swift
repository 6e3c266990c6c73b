import Foundation
import Policy
import PolicyLoading
import Replay

/// The replay summary as `replay --json` and each `tune --json` result print it (DESIGN.md §3):
/// the contract's fields, the policy's parameters, and for tune the varied values.
struct ReplayJSON: Encodable {
    var summary: ReplaySummary
    var policy: PoolPolicy
    /// For tune: the varied values and whether the SLO bound is met.
    var vary: [(path: String, value: String)]?
    var meetsSLO: Bool?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if let vary {
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: Key("vary"))
            for (path, value) in vary { try nested.encode(value, forKey: Key(path)) }
        }
        if let meetsSLO { try container.encode(meetsSLO, forKey: Key("meets_slo")) }
        try container.encode(summary.replicaHours, forKey: Key("replica_hours"))
        try container.encode(summary.cost, forKey: Key("cost"))
        try container.encode(summary.sloViolationMinutes, forKey: Key("slo_violation_minutes"))
        try container.encode(summary.scaleEvents, forKey: Key("scale_events"))
        try container.encode(summary.failovers, forKey: Key("failovers"))
        try container.encode(summary.peakReplicas, forKey: Key("peak_replicas"))
        try container.encode(summary.steps, forKey: Key("steps"))
        try container.encode(policy.document, forKey: Key("policy"))
    }

    /// `value` as one line of JSON with sorted keys (plain numbers and strings: encoding cannot fail).
    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
