package import Control
import Foundation

/// What the story's audience should have seen, checked from the daemon's own status and
/// decisions: each beat either happened (✓) or did not (✗), printed in the closing summary.
package struct DemoStory: Sendable {
    package var slowedWeightBefore: Int?
    package var slowedWeightLowest: Int?
    package var peakReplicas = 0
    package var replicasAtStart: Int?
    package var lowestAfterPeak: Int?
    package var deadEjected = false
    package var standbyPromoted = false
    package var decisionsByKind: [String: Int] = [:]

    package init() {}

    /// Follows the pool's status: `slowed` is the address of the backend that slows down,
    /// `hasSlowed` whether it already has.
    package mutating func observe(_ status: PoolStatus, slowed: String, hasSlowed: Bool) {
        // The slowed backend's weight is followed while the active tier serves normally.
        if status.servingTier == "active", let weight = status.backends.first(where: { $0.address == slowed && $0.state == "serving" })?.desiredWeight
        {
            if hasSlowed {
                slowedWeightLowest = min(slowedWeightLowest ?? weight, weight)
            } else {
                slowedWeightBefore = weight
            }
        }
        if let replicas = status.scaling?.current {
            if replicasAtStart == nil { replicasAtStart = replicas }
            if replicas > peakReplicas {
                peakReplicas = replicas
                lowestAfterPeak = nil
            } else if replicas < peakReplicas {
                lowestAfterPeak = min(lowestAfterPeak ?? replicas, replicas)
            }
        }
    }

    /// Counts a decision; `dead` is the address of the backend that dies.
    package mutating func observe(_ decision: DecisionStatus, dead: String) {
        decisionsByKind[decision.kind, default: 0] += 1
        if decision.kind == "eject" && decision.reason.contains(dead) { deadEjected = true }
        if decision.kind == "failover" { standbyPromoted = true }
    }

    /// The beats, each with whether it happened.
    package func beats(slowedName: String, deadName: String, standbyName: String) -> [(happened: Bool, text: String)] {
        let start = replicasAtStart ?? 0
        let weightFell = slowedWeightBefore.flatMap { before in slowedWeightLowest.map { $0 < before * 6 / 10 } } ?? false
        return [
            (
                weightFell,
                "\(slowedName)'s weight fell from \(slowedWeightBefore.map(String.init) ?? "-") to \(slowedWeightLowest.map(String.init) ?? "-") when it slowed"
            ),
            (peakReplicas > start, "scaled out \(start) → \(peakReplicas) replicas through the scale hook as load rose"),
            (deadEjected, "\(deadName) ejected when it died"),
            (standbyPromoted, "standby \(standbyName) promoted"),
            (lowestAfterPeak != nil, "scaled in \(peakReplicas) → \(lowestAfterPeak.map(String.init) ?? "-") as load fell"),
        ]
    }
}
