import Foundation
import TestSupport
import Testing

/// `ballast parse-metrics` accepts exactly what the Prometheus server ingests: a real Prometheus
/// 2.42 scrapes every body of the corpus (served with the Content-Type that selects its parser),
/// and for each target Ballast must fail where Prometheus records `up 0` and, where it records
/// `up 1`, count the `scrape_samples_scraped` Prometheus counted.
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: PrometheusPeer.isInstalled && MetricsFileServer.isAvailable, "prometheus and python3 (to serve the targets) are needed")
)
struct ParseMetricsPrometheusTests {
    @Test("parse-metrics accepts and counts what a real Prometheus scrape does")
    func parseMetricsAgreesWithPrometheusScrapes() async throws {
        let peer = try PrometheusPeer()
        defer { peer.stop() }
        let server = try await MetricsFileServer(directory: peer.directory.appendingPathComponent("www"), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        for testCase in IngestCorpus.scrapes { try server.serve(bytes: testCase.bytes, as: testCase.fileName) }
        let jobs = IngestCorpus.scrapes.map { testCase in
            "  - {job_name: \(testCase.name), metrics_path: /\(testCase.fileName), static_configs: [{targets: [\"127.0.0.1:\(server.port)\"]}]}"
        }
        try await peer.start(config: "global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n" + jobs.joined(separator: "\n") + "\n")
        let everyJobScraped = "count(count_over_time(up[1m]) >= 2) == \(IngestCorpus.scrapes.count)"
        for attempt in 0... {
            if try await peer.get("query", ["query": everyJobScraped]).contains("\"result\":[{") { break }
            guard attempt < 300 else { throw PeerError(message: "Prometheus never scraped every target twice") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let up = try await Self.valuesByJob(peer, "up")
        let scraped = try await Self.valuesByJob(peer, "scrape_samples_scraped")

        let directory = try TemporaryDirectory()
        for testCase in IngestCorpus.scrapes {
            let file = directory.file(testCase.fileName)
            try Data(testCase.bytes).write(to: URL(fileURLWithPath: file))
            let outcome = try await BallastProcess.run(["parse-metrics", "--count"] + (testCase.openMetrics ? ["--openmetrics"] : []) + [file])
            let prometheusUp = up[testCase.name]
            #expect(prometheusUp != nil, "Prometheus has no up for \(testCase.name)")
            #expect(
                (outcome.status == 0) == (prometheusUp == 1),
                "\(testCase.name): Prometheus up=\(prometheusUp ?? -1); ballast: \(outcome.standardError)"
            )
            if outcome.status == 0 && prometheusUp == 1 {
                #expect(outcome.standardOutput == "samples=\(Int(scraped[testCase.name] ?? -1))\n", "\(testCase.name)")
            }
        }
    }

    /// The latest value of `metric` for each job.
    private static func valuesByJob(_ peer: PrometheusPeer, _ metric: String) async throws -> [String: Double] {
        let body = try await peer.get("query", ["query": metric])
        guard
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let data = object["data"] as? [String: Any],
            let result = data["result"] as? [[String: Any]]
        else { throw PeerError(message: "unexpected answer to \(metric): \(body)") }
        var values: [String: Double] = [:]
        for row in result {
            if let labels = row["metric"] as? [String: String], let job = labels["job"], let value = row["value"] as? [Any],
                let text = value.last as? String, let number = Double(text)
            {
                values[job] = number
            }
        }
        return values
    }
}
