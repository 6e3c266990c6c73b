import Foundation
import Policy
import PolicyLoading
import Testing

@testable import Replay

@Suite struct ReplayRunTests {
    /// HPA defaults (scale up 100% or 4 pods per 15 s, down after a 300 s window), target 50%.
    private func policy(min: Int = 1, max: Int = 10, startup: String = "30s", extra: String = "") throws -> PoolPolicy {
        try PolicyLoader().load(
            yaml: """
                pool: worker
                backends: {file_sd: targets.json}
                signals: {util: backend_utilization}
                scaling: {min: \(min), max: \(max), target: {signal: util, value: 0.5}}
                capacity: {per_replica_rps: 100, startup: \(startup)}
                cost: {per_replica_hour: 0.5, per_scale_event: 0.01}
                replay: {signals: {util: utilization}}
                \(extra)
                """,
            path: "worker.yaml"
        )
    }

    private func trace(_ points: [(Double, Double)]) -> LoadTrace {
        LoadTrace(times: points.map(\.0), values: points.map(\.1))
    }

    /// Runs the replay and returns (time offset s, ready, desired, decision) per step.
    private func timeline(_ run: ReplayRun) throws -> (ReplaySummary, [(Int64, Int, Int, String)]) {
        var steps: [(Int64, Int, Int, String)] = []
        let first = Int64(run.trace.times[0] * 1000)
        let summary = try run.run { steps.append((($0.time - first) / 1000, $0.readyReplicas, $0.desiredReplicas, $0.decision)) }
        return (summary, steps)
    }

    @Test func aStepUpScalesByTheHPARateLimitsAndReplicasServeAfterStartup() throws {
        // 100 rps on 2 replicas (50%), then 400 rps from t=60.
        let run = ReplayRun(policy: try policy(min: 2), trace: trace([(0, 100), (60, 400), (180, 400)]))
        let (summary, steps) = try timeline(run)
        let byTime = Dictionary(uniqueKeysWithValues: steps.map { ($0.0, $0) })
        #expect(byTime[45]?.2 == 2)
        // 400 rps over 2 replicas is 200%: HPA wants 8, the up policies allow max(+100%, +4) = 6.
        #expect(byTime[60]?.3 == "scale 2->6")
        // At t=75 the 2 ready replicas report 200% and the 4 starting ones count as idle (as the
        // HPA counts unready pods): 67% over 6, so 8; the event at t=60 is not inside (60, 75].
        #expect(byTime[75]?.1 == 2)
        #expect(byTime[75]?.3 == "scale 6->8")
        // The new replicas serve after the 30 s startup.
        #expect(byTime[90]?.1 == 6)
        #expect(byTime[105]?.1 == 8)
        #expect(summary.scaleEvents == 2)
        #expect(summary.peakReplicas == 8)
        // Over capacity at t=60 and t=75 (2 ready for 400 rps); 6 ready at t=90 carry 67%.
        #expect(summary.sloViolationMinutes == 0.5)
    }

    @Test func aShortSpikeScalesUpAndTheDownWindowHoldsTheReplicas() throws {
        let run = ReplayRun(policy: try policy(), trace: trace([(0, 40), (30, 150), (45, 40), (600, 40)]))
        let (_, steps) = try timeline(run)
        let byTime = Dictionary(uniqueKeysWithValues: steps.map { ($0.0, $0) })
        // 150% on one replica wants 3; the up policies allow max(+100%, +4 pods) = 5.
        #expect(byTime[30]?.3 == "scale 1->3")
        #expect(byTime[45]?.2 == 3)
        // Scale-down takes the highest recommendation of the last 300 s: 3 until the spike's
        // recommendation (t=30) leaves the window (strictly older than 300 s, as in Kubernetes),
        // then 1 at once (100% per 15 s).
        #expect(byTime[315]?.2 == 3)
        #expect(byTime[330]?.2 == 1)
    }

    @Test func aSlowRampIsFollowedWithoutViolations() throws {
        let points = stride(from: 0.0, through: 3600, by: 60).map { ($0, 40 + $0 / 3600 * 400) }
        let run = ReplayRun(policy: try policy(), trace: trace(points), interpolation: .linear)
        let (summary, steps) = try timeline(run)
        #expect(summary.sloViolationMinutes == 0)
        // 440 rps at the end: 8 replicas are at 55%, inside the 10% tolerance of the 50% target.
        #expect(steps.last?.2 == 8)
        #expect(summary.peakReplicas == 8)
    }

    @Test func costIsReplicaHoursTimesThePricePlusScaleEvents() throws {
        let run = ReplayRun(policy: try policy(min: 3), trace: trace([(0, 100), (7200, 100)]))
        let summary = try run.run()
        // 3 replicas over 481 steps of 15 s.
        #expect(summary.steps == 481)
        #expect(abs(summary.replicaHours - 3 * 481 * 15 / 3600) < 1e-9)
        #expect(abs(summary.cost - (summary.replicaHours * 0.5 + Double(summary.scaleEvents) * 0.01)) < 1e-9)
    }

    @Test func theSameInputGivesTheSameTimeline() throws {
        let run = ReplayRun(policy: try policy(), trace: trace([(0, 40), (100, 300), (400, 90), (900, 500), (1800, 20)]))
        let (first, firstSteps) = try timeline(run)
        let (second, secondSteps) = try timeline(run)
        #expect(first == second)
        #expect(firstSteps.map { "\($0)" } == secondSteps.map { "\($0)" })
    }

    @Test func failedReplicasStopServingUntilReplaced() throws {
        let run = ReplayRun(policy: try policy(min: 4), trace: trace([(0, 150), (300, 150)]), failures: [ReplicaFailure(replicas: 2, time: 60)])
        let (_, steps) = try timeline(run)
        let byTime = Dictionary(uniqueKeysWithValues: steps.map { ($0.0, $0) })
        #expect(byTime[45]?.1 == 4)
        #expect(byTime[60]?.1 == 2)
        #expect(byTime[90]?.1 == 4)
    }

    @Test func predictiveScalingLearnsADailyRampAndCutsItsViolations() throws {
        // Two days of a steep 08:00 ramp (150 → 1500 rps) on replicas that take 5 minutes to start.
        let dayStart = 1_699_920_000.0
        let points = stride(from: 0.0, to: 2 * 86_400, by: 60).map { offset -> (Double, Double) in
            let hour = offset.truncatingRemainder(dividingBy: 86_400) / 3600
            return (dayStart + offset, 150 + 1350 / (1 + exp(-(hour - 8) * 4)) * (1 - 1 / (1 + exp(-(hour - 19) * 1.2))))
        }
        let shared = "capacity: {per_replica_rps: 100, startup: 5m}\nslo: {max_utilization: 0.9}"
        func policy(predictive: Bool) throws -> PoolPolicy {
            try PolicyLoader().load(
                yaml: """
                    pool: web
                    backends: {file_sd: targets.json}
                    signals: {util: backend_utilization}
                    scaling: {min: 2, max: 20, target: {signal: util, value: 0.75}\(predictive ? ", predictive: {lead: 5m}" : "")}
                    \(shared)
                    replay: {signals: {util: utilization}}
                    """,
                path: "web.yaml"
            )
        }
        var secondDayViolations = (reactive: 0, predictive: 0)
        for predictive in [false, true] {
            _ = try ReplayRun(policy: try policy(predictive: predictive), trace: trace(points)).run { step in
                guard step.violation, Double(step.time) / 1000 >= dayStart + 86_400 else { return }
                if predictive { secondDayViolations.predictive += 1 } else { secondDayViolations.reactive += 1 }
            }
        }
        // The reactive policy is late for the ramp every day; having seen one, the predictive one is not.
        #expect(secondDayViolations.reactive > 10)
        #expect(secondDayViolations.predictive * 4 < secondDayViolations.reactive)
    }

    @Test func aStandbyAtAReplicasAddressReportsWhatTheReplicaReports() throws {
        // Replay's replicas are 10.0.0.1:80, 10.0.0.2:80, ...: this standby is the first replica,
        // so it reports the replicas' utilisation; at 150% the active tier is ejected and the
        // standby (a member too) takes over.
        let policy = try PolicyLoader().load(
            yaml: """
                pool: overlap
                backends: {static: ["10.9.0.1:80", "10.9.0.2:80"]}
                signals: {util: u}
                health: {unhealthy_after: 1, healthy_after: 1, eject_when: "util > 0.5", eject_for: 5m, max_ejected: 100%}
                failover: {standby: ["10.0.0.1:80"], activate_below: 100%}
                capacity: {per_replica_rps: 100}
                replay: {signals: {util: utilization}}
                """,
            path: "overlap.yaml"
        )
        let summary = try ReplayRun(policy: policy, trace: trace([(0, 150), (60, 10), (120, 10)])).run()
        #expect(summary.failovers == 1)
    }

    @Test func aReportDrawsAnyLoadATraceHolds() throws {
        let policy = try policy()
        var report = ReplayReport(policy: policy)
        let summary = try ReplayRun(policy: policy, trace: trace([(0, 1e18), (60, 1e18)])).run { report.record($0) }
        #expect(report.html(policy: policy, summary: summary).contains("<svg"))
    }
}
