import Foundation
import TestSupport
import Testing

/// `ballast replay` as a user runs it: JSON fields, the timeline, and the same answer from a
/// trace and from the store holding the same load.
@Suite(.enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"))
struct ReplayCommandTests {
    private func policy(_ directory: TemporaryDirectory) throws -> String {
        try directory.write(
            "worker.yaml",
            """
            pool: worker
            backends: {file_sd: targets.json}
            signals: {util: backend_utilization}
            scaling: {min: 1, max: 10, target: {signal: util, value: 0.5}}
            capacity: {per_replica_rps: 100, startup: 30s}
            cost: {per_replica_hour: 0.05}
            slo: {max_utilization: 0.9, latency_p99: 250ms}
            replay: {signals: {util: utilization}, load: sum(offered_rps)}

            """
        )
    }

    private let loads: [Double] = (0..<240).map { 50 + 250 * sin(Double($0) / 40).magnitude }

    @Test func replayPrintsTheContractsJSONAndTheTimeline() throws {
        let directory = try TemporaryDirectory()
        let trace = try directory.write(
            "load.csv",
            "timestamp,value\n" + loads.enumerated().map { "\(1_700_000_000 + $0 * 15),\($1)" }.joined(separator: "\n")
        )
        let outcome = try BallastProcess.run([
            "replay", "--policy", try policy(directory), "--trace", trace, "--json", "--timeline", directory.file("t.csv"),
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        for key in ["replica_hours", "cost", "slo_violation_minutes", "scale_events", "failovers", "peak_replicas", "steps", "policy"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["steps"] as? Int == 240)
        let timeline = try String(contentsOfFile: directory.file("t.csv"), encoding: .utf8).split(separator: "\n")
        #expect(timeline.first == "timestamp,load_rps,ready_replicas,desired_replicas,util,utilization,latency_p99_seconds,violation,decision")
        #expect(timeline.count == 241)
        let again = try BallastProcess.run(["replay", "--policy", try policy(directory), "--trace", trace, "--json"])
        #expect(again.standardOutput == outcome.standardOutput)
    }

    @Test func replayFromTheStoreEqualsReplayFromTheSameTrace() throws {
        let directory = try TemporaryDirectory()
        let policy = try policy(directory)
        let trace = try directory.write("load.csv", loads.enumerated().map { "\(1_700_000_000 + $0 * 15),\($1)" }.joined(separator: "\n"))
        let openMetrics =
            "# TYPE offered_rps gauge\n"
            + loads.enumerated().map { "offered_rps{pool=\"worker\"} \($1) \(1_700_000_000 + $0 * 15)" }.joined(separator: "\n") + "\n# EOF\n"
        let imported = try BallastProcess.run(["import", "--db", directory.file("b.db"), try directory.write("load.om", openMetrics)])
        #expect(imported.status == 0, "\(imported.standardError)")
        let fromTrace = try BallastProcess.run(["replay", "--policy", policy, "--trace", trace, "--json"])
        let fromStore = try BallastProcess.run([
            "replay", "--policy", policy, "--db", directory.file("b.db"), "--from", "1700000000", "--to", "\(1_700_000_000 + 239 * 15)", "--json",
        ])
        #expect(fromStore.status == 0, "\(fromStore.standardError)")
        #expect(fromStore.standardOutput == fromTrace.standardOutput)
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func replayAndTuneFromPrometheusEqualThemFromTheStoreOverTheSameHistory() async throws {
        let directory = try TemporaryDirectory()
        let policy = try policy(directory)
        // 15,000 steps of 15 s: more than one page of 11,000 points.
        var openMetrics = "# TYPE offered_rps gauge\n"
        for step in 0..<15_000 {
            let load: Double = 50 + 250 * sin(Double(step) / 300).magnitude
            openMetrics += "offered_rps{pool=\"worker\"} \(load) \(1_700_000_000 + step * 15)\n"
        }
        openMetrics += "# EOF\n"
        let peer = try await PrometheusPeer.backfilled(openMetrics: openMetrics)
        defer { peer.stop() }
        let imported = try await BallastProcess.run(["import", "--db", directory.file("b.db"), try directory.write("load.om", openMetrics)])
        #expect(imported.status == 0, "\(imported.standardError)")
        let span: [String] = ["--from", "1700000000", "--to", "\(1_700_000_000 + 14_999 * 15)"]
        let prometheus: [String] = ["--prometheus", "http://127.0.0.1:\(peer.port)"]
        let fromStore = try await BallastProcess.run(["replay", "--policy", policy, "--db", directory.file("b.db"), "--json"] + span)
        let fromPrometheus = try await BallastProcess.run(["replay", "--policy", policy, "--json"] + prometheus + span)
        #expect(fromPrometheus.status == 0, "\(fromPrometheus.standardError)")
        #expect(fromPrometheus.standardOutput == fromStore.standardOutput)
        #expect(fromPrometheus.standardOutput.contains(#""steps":15000"#))

        let tune: [String] = ["tune", "--policy", policy, "--vary", "scaling.target.value=0.4,0.6", "--json"]
        let tunedFromStore = try await BallastProcess.run(tune + ["--db", directory.file("b.db")] + span)
        let tunedFromPrometheus = try await BallastProcess.run(tune + prometheus + span)
        #expect(tunedFromPrometheus.status == 0, "\(tunedFromPrometheus.standardError)")
        #expect(tunedFromPrometheus.standardOutput == tunedFromStore.standardOutput)

        peer.halt()
        let down = try await BallastProcess.run(["replay", "--policy", policy] + prometheus + span)
        #expect(down.status == 1)
        #expect(down.standardError.contains("127.0.0.1:\(peer.port)") && down.standardError.contains("connection refused"), "\(down.standardError)")
    }

    @Test func aBadTraceIsRefusedWithItsPosition() throws {
        let directory = try TemporaryDirectory()
        let trace = try directory.write("load.csv", "1700000000,10\n1700000015,lots\n")
        let outcome = try BallastProcess.run(["replay", "--policy", try policy(directory), "--trace", trace])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("\(trace):2:12: value \"lots\""))
    }

    @Test func theReportIsOneSelfContainedPageWithItsCharts() throws {
        let directory = try TemporaryDirectory()
        let trace = try directory.write("load.csv", loads.enumerated().map { "\(1_700_000_000 + $0 * 15),\($1)" }.joined(separator: "\n"))
        let report = directory.file("report.html")
        let outcome = try BallastProcess.run(["replay", "--policy", try policy(directory), "--trace", trace, "--report", report])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
        for external in ["http://", "https://", "<script", "<img", "url(", "@import", "<link"] {
            #expect(!html.contains(external), "the report refers to something outside it: \(external)")
        }
        // Rendered by a real browser: the summary and the charts are in the page it shows.
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else { return }
        let render = Process()
        render.executableURL = URL(fileURLWithPath: chromium)
        render.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(report)"]
        let output = Pipe()
        render.standardOutput = output
        render.standardError = FileHandle.nullDevice
        try render.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        render.waitUntilExit()
        #expect(dom.contains("SLO violation minutes"))
        #expect(dom.components(separatedBy: "<svg ").count - 1 == 5)
    }
}
