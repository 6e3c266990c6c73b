import Foundation
import TestSupport
import Testing

/// `ballast tune` ranks variants as the contract says and finds a known optimum.
@Suite(.enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"))
struct TuneCommandTests {
    /// 300 rps for two hours on replicas of 100 rps, starting at 4: a target of t needs
    /// ceil(300 / (100 × t)) replicas, and the SLO allows 70% utilisation.
    private func setUp(_ directory: TemporaryDirectory) throws -> (policy: String, trace: String) {
        let policy = try directory.write(
            "worker.yaml",
            """
            pool: worker
            backends: {file_sd: targets.json}
            signals: {util: backend_utilization}
            scaling: {min: 4, max: 20, target: {signal: util, value: 0.5}}
            capacity: {per_replica_rps: 100, startup: 30s}
            cost: {per_replica_hour: 1}
            slo: {max_utilization: 0.7}
            replay: {signals: {util: utilization}}

            """
        )
        let trace = try directory.write("load.csv", "1700000000,300\n1700007200,300\n")
        return (policy, trace)
    }

    private func results(_ outcome: BallastProcess.Outcome) throws -> [[String: Any]] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        return try #require(json["results"] as? [[String: Any]])
    }

    @Test func theCheapestVariantMeetingTheSLOComesFirstThenTheRest() throws {
        let directory = try TemporaryDirectory()
        let (policy, trace) = try setUp(directory)
        let outcome = try BallastProcess.run([
            "tune", "--policy", policy, "--trace", trace, "--vary", "scaling.target.value=0.3,0.5,0.7,0.9", "--max-slo-violation-minutes", "1",
            "--json",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let ranked = try results(outcome)
        // 4 replicas start at 75%. Targets 0.7 and 0.9 keep them (75% is within the HPA's 10%
        // tolerance of 0.7, and under 0.9), over the 70% SLO for the whole two hours; 0.5 scales
        // to 6 and 0.3 to 10, each over the SLO only for the 30 s their new replicas take to start.
        #expect(ranked.map { ($0["vary"] as? [String: String])?["scaling.target.value"] } == ["0.5", "0.3", "0.7", "0.9"])
        #expect(ranked.map { $0["meets_slo"] as? Bool } == [true, true, false, false])
        #expect(ranked[0]["peak_replicas"] as? Int == 6)
        #expect(ranked[0]["slo_violation_minutes"] as? Double == 0.5)
        for key in ["replica_hours", "cost", "slo_violation_minutes", "scale_events", "failovers", "peak_replicas", "steps"] {
            #expect(ranked[0][key] != nil, "missing \(key)")
        }
    }

    @Test func randomDrawsAreTheSameOnEveryRun() throws {
        let directory = try TemporaryDirectory()
        let (policy, trace) = try setUp(directory)
        let arguments = ["tune", "--policy", policy, "--trace", trace, "--vary", "scaling.target.value=0.3..0.9", "--random", "6", "--json"]
        let first = try BallastProcess.run(arguments)
        let second = try BallastProcess.run(arguments + ["--jobs", "1"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(try results(first).count == 6)
        #expect(first.standardOutput == second.standardOutput)
    }

    @Test func aVariantThePolicyRefusesIsReportedWithItsPosition() throws {
        let directory = try TemporaryDirectory()
        let (policy, trace) = try setUp(directory)
        let outcome = try BallastProcess.run(["tune", "--policy", policy, "--trace", trace, "--vary", "scaling.target.value=0.5,-1"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("variant scaling.target.value=-1:"))
        #expect(outcome.standardError.contains("scaling.target.value must be"))
    }

    @Test func theReportShowsTheParetoFrontAndTheRanking() throws {
        let directory = try TemporaryDirectory()
        let (policy, trace) = try setUp(directory)
        let report = directory.file("tune.html")
        let outcome = try BallastProcess.run([
            "tune", "--policy", policy, "--trace", trace, "--vary", "scaling.target.value=0.3,0.5,0.7,0.9", "--max-slo-violation-minutes", "1",
            "--report", report,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<polyline points="))
        #expect(html.components(separatedBy: "<circle ").count - 1 == 4)
        #expect(html.components(separatedBy: "<tr>").count - 1 == 5)
        for external in ["http://", "https://", "<script", "<img", "url(", "<link"] {
            #expect(!html.contains(external), "the report refers to something outside it: \(external)")
        }
    }
}
