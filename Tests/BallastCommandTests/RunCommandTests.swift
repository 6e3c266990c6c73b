import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ballast run` as an operator runs it: a real daemon process on loopback, with real targets
/// and a real Prometheus 2.42 beside it.
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets")
)
struct RunCommandTests {
    private static let nodeExporter = "/usr/bin/prometheus-node-exporter"

    private func policy(pool: String, targets: [String], interval: String = "500ms", timeout: String = "400ms") -> String {
        """
        pool: \(pool)
        backends:
          static: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]
        scrape: { interval: \(interval), timeout: \(timeout) }

        """
    }

    /// Polls `path` until `condition` holds on the body, or fails after 20 s.
    private func wait(_ daemon: DaemonProcess, _ path: String, until condition: (String) -> Bool) async throws -> String {
        for _ in 0..<200 {
            let (_, body) = try await daemon.get(path)
            if condition(body) { return body }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError(message: "\(path) never satisfied the condition:\n\(daemon.log.suffix(2000))")
    }

    @Test func sighupWithABrokenPolicyKeepsTheOldOneAndSigtermExitsZeroWithTheStoreIntact() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        try server.serve("requests_total 1\n")
        let policyFile = try directory.write("web.yaml", policy(pool: "web", targets: ["127.0.0.1:\(server.port)"]))
        let daemon = try await DaemonProcess(["--policy", policyFile, "--db", directory.file("ballast.db")], in: directory.path)
        _ = try await wait(daemon, "/api/v1/query?query=requests_total") { $0.contains(#""job":"web""#) }

        try "pool: web\nbackends: {static: [\"not an address\"]}\n".write(toFile: policyFile, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        let metrics = try await wait(daemon, "/metrics") { $0.contains(#"ballast_policy_reloads_total{result="failure"} 1"#) }
        #expect(metrics.contains(#"ballast_policy_reloads_total{result="success"} 1"#))
        #expect(daemon.log.contains("web.yaml:2:"))
        let targets = try await daemon.get("/api/v1/targets").1
        #expect(targets.contains(#""scrapePool":"web""#) && targets.contains(#""health":"up""#))

        let exit = await daemon.terminate()
        #expect(exit?.status == 0)
        #expect((exit?.took ?? .seconds(99)) < .seconds(10))
        let check = try await BallastProcess.run(["query", "--db", directory.file("ballast.db"), "count_over_time(requests_total[1h])"])
        #expect(check.status == 0)
        #expect(check.standardOutput.contains(#""job":"web""#))
    }

    /// A full descriptor table makes libdispatch abort the process, so the daemon starts by
    /// raising its soft limit to the hard one, and reports both as client libraries do.
    @Test func aLowSoftOpenFileLimitIsRaisedToTheHardLimitAtStart() async throws {
        var limit = rlimit()
        try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        try #require(limit.rlim_max < 1 << 50, "an unlimited hard limit prints as a float")
        let directory = try TemporaryDirectory()
        let policyFile = try directory.write("web.yaml", policy(pool: "web", targets: ["127.0.0.1:9"]))
        let daemon = try await DaemonProcess(
            ["--policy", policyFile, "--db", directory.file("ballast.db")],
            in: directory.path,
            softDescriptorLimit: 128
        )
        let metrics = try await daemon.get("/metrics").1
        #expect(metrics.contains("\nprocess_max_fds \(limit.rlim_max)\n"))
        let open = metrics.split(separator: "\n").first { $0.hasPrefix("process_open_fds ") }.flatMap { Int($0.split(separator: " ")[1]) }
        #expect((open ?? 0) > 3)
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func anInvalidPolicyAtStartIsExitOneWithEveryPosition() async throws {
        let directory = try TemporaryDirectory()
        let policyFile = try directory.write("bad.yaml", "pool: web\nbackends: {static: [\"a:b\"]}\nscrape: {interval: fast}\n")
        let outcome = try await BallastProcess.run(["run", "--policy", policyFile, "--db", directory.file("x.db"), "--listen", "127.0.0.1:0"])
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.db")), "a daemon that cannot start leaves no database")
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("bad.yaml:2:"))
        #expect(outcome.standardError.contains("bad.yaml:3:"))
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed"))
    func prometheusScrapesBallastsMetricsAndPromtoolAcceptsThem() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        try server.serve("a 1\n")
        let policyFile = try directory.write("web.yaml", policy(pool: "web", targets: ["127.0.0.1:\(server.port)"]))
        let daemon = try await DaemonProcess(["--policy", policyFile, "--db", directory.file("ballast.db")], in: directory.path)
        _ = try await wait(daemon, "/api/v1/query?query=a") { $0.contains(#""job":"web""#) }
        _ = try await daemon.get("/api/v1/query?query=up")

        let (status, body) = try await daemon.get("/metrics")
        #expect(status == 200)
        for family in [
            "ballast_scrapes_total", "ballast_scrape_duration_seconds_bucket", "ballast_samples_ingested_total",
            "ballast_samples_dropped_total", "ballast_store_size_bytes", "ballast_store_series",
            "ballast_store_maintenance_runs_total", "ballast_http_requests_total", "ballast_policy_reloads_total",
            "ballast_build_info", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
            "process_start_time_seconds",
        ] {
            #expect(body.contains(family), "\(family) is missing from /metrics")
        }
        let lint = try Self.run(PrometheusPeer.promtoolPath, ["check", "metrics"], input: body)
        #expect(lint.status == 0, "promtool check metrics: \(lint.output)")

        let peer = try PrometheusPeer()
        defer { peer.stop() }
        try await peer.start(
            config:
                "global: {scrape_interval: 1s}\nscrape_configs:\n  - {job_name: ballast, static_configs: [{targets: [\"127.0.0.1:\(daemon.port)\"]}]}\n"
        )
        for attempt in 0... {
            if try await peer.get("query", ["query": "up{job=\"ballast\"} == 1"]).contains("\"result\":[{") { break }
            guard attempt < 200 else { throw PeerError(message: "Prometheus never saw Ballast up") }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test(
        .enabled(if: PrometheusPeer.isInstalled, "prometheus is not installed"),
        .enabled(if: FileManager.default.isExecutableFile(atPath: nodeExporter), "prometheus-node-exporter is not installed")
    )
    func nodeExporterScrapesCountWhatPrometheusCounts() async throws {
        let directory = try TemporaryDirectory()
        let exporterPort = try PrometheusPeer.freePort()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: Self.nodeExporter)
        exporter.arguments = ["--web.listen-address=127.0.0.1:\(exporterPort)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer {
            exporter.terminate()
            exporter.waitUntilExit()
        }
        let address = "127.0.0.1:\(exporterPort)"
        let policyFile = try directory.write("node.yaml", policy(pool: "node", targets: [address], interval: "1s", timeout: "900ms"))
        let daemon = try await DaemonProcess(["--policy", policyFile, "--db", directory.file("ballast.db")], in: directory.path)
        let peer = try PrometheusPeer()
        defer { peer.stop() }
        try await peer.start(
            config:
                "global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n  - {job_name: node, static_configs: [{targets: [\"\(address)\"]}]}\n"
        )
        let expression = "max_over_time(scrape_samples_scraped{job=\"node\"}[5s])"
        var ours = ""
        var theirs = ""
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(300))
            ours = Self.value(of: try await daemon.get("/api/v1/query?query=\(Self.encode(expression))").1)
            theirs = Self.value(of: try await peer.get("query", ["query": expression]))
            if !ours.isEmpty && ours == theirs { break }
        }
        #expect(!ours.isEmpty && ours == theirs, "Ballast counted \(ours) samples per scrape, Prometheus \(theirs)")
        let families = "count(count by (__name__) ({job=\"node\",__name__=~\"node_.*\"}))"
        let ourFamilies = Self.value(of: try await daemon.get("/api/v1/query?query=\(Self.encode(families))").1)
        #expect(ourFamilies == Self.value(of: try await peer.get("query", ["query": families])))
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed"))
    func apiBodiesEqualPrometheusOverTheSameData() async throws {
        let directory = try TemporaryDirectory()
        let start = 1_700_000_000
        var data = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n"
        for (index, (code, instance)) in [("200", "a:1"), ("500", "a:1"), ("200", "b:2")].enumerated() {
            for step in 0..<240 {
                data += "http_requests_total{code=\"\(code)\",instance=\"\(instance)\",job=\"api\"} \(step * (index + 1)) \(start + step * 15)\n"
            }
        }
        data += "# TYPE temperature gauge\n"
        for step in 0..<240 { data += "temperature{room=\"b\\\"1\",job=\"sensors\"} \(20 + step % 7) \(start + step * 15)\n" }
        data += "# EOF\n"
        let file = try directory.write("data.om", data)
        #expect(try await BallastProcess.run(["import", "--db", directory.file("ballast.db"), file]).status == 0)
        let peer = try await PrometheusPeer.backfilled(openMetrics: data)
        defer { peer.stop() }
        let policyFile = try directory.write("api.yaml", policy(pool: "probe", targets: ["127.0.0.1:9"], interval: "1h", timeout: "1s"))
        // The data is from 2023: a retention longer than its age keeps the daemon's first
        // maintenance pass, at start-up, from deleting it (as it would with the default 15d).
        let config = try directory.write("ballast.yaml", "store: {retention: 10y}\n")
        let daemon = try await DaemonProcess(
            ["--config", config, "--policy", policyFile, "--db", directory.file("ballast.db")],
            in: directory.path
        )

        let window = "&start=\(start)&end=\(start + 3600)"
        let cases: [(String, [String: String])] = [
            ("series", ["match[]": "http_requests_total"]),
            ("series", ["match[]": "{job=\"api\",code=~\"5..\"}"]),
            ("series", ["match[]": "{__name__=~\".*\"}"]),
            ("series", [:]),
            ("labels", ["match[]": "temperature"]),
            ("label/code/values", ["match[]": "http_requests_total"]),
            ("label/room/values", ["match[]": "temperature"]),
            ("label/1bad/values", [:]),
            ("query", ["query": "sum by (code) (rate(http_requests_total[5m]))", "time": "\(start + 1800)"]),
            ("query_range", ["query": "max_over_time(temperature[2m])", "start": "\(start)", "end": "\(start + 1200)", "step": "60"]),
            ("query_range", ["query": "up", "start": "\(start)", "end": "\(start - 1)", "step": "60"]),
        ]
        for (path, parameters) in cases {
            let query = parameters.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
            let suffix = path.hasPrefix("series") || path.hasPrefix("label") ? window : ""
            let ours = try await daemon.get("/api/v1/\(path)?\(query)\(suffix)").1
            var theirParameters = parameters
            if !suffix.isEmpty {
                theirParameters["start"] = "\(start)"
                theirParameters["end"] = "\(start + 3600)"
            }
            let theirs = try await peer.get(path, theirParameters)
            #expect(ours == theirs, "\(path) \(parameters)")
        }
        // POST form bodies are read like query strings.
        let posted = try await daemon.post("/api/v1/query", form: "query=count(temperature)&time=\(start + 600)").1
        #expect(posted == (try await peer.get("query", ["query": "count(temperature)", "time": "\(start + 600)"])))
        #expect(await daemon.terminate()?.status == 0)
    }

    /// The value of the first sample of an instant query's body ("" when there is none).
    private static func value(of body: String) -> String {
        guard let range = body.range(of: #"\"value\":\[[0-9.]+,\""#, options: .regularExpression) else { return "" }
        return String(body[range.upperBound...].prefix { $0 != "\"" })
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    private static func run(_ executable: String, _ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
