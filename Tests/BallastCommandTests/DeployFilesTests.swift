import Foundation
import Query
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Grafana dashboards and the compose stack shipped in the repository: every dashboard query
/// is PromQL Ballast parses and names only metrics a running Ballast exports; the compose file is
/// valid and everything it mounts or builds from exists.
@Suite struct DeployFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `expr` of every panel of `dashboards/*.json`, by file.
    static func dashboardQueries() throws -> [(file: String, expr: String)] {
        let directory = root.appendingPathComponent("dashboards")
        var queries: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where file.hasSuffix(".json") {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(file) is a JSON object")
            #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 36, "\(file) uses Grafana's current schema")
            #expect(dashboard["uid"] is String && dashboard["title"] is String)
            for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    queries.append((file, try #require(target["expr"] as? String)))
                }
            }
        }
        return queries
    }

    /// Grafana's variables replaced as Grafana would before sending the query.
    static func resolved(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m").replacingOccurrences(of: "$pool", with: "web")
    }

    /// The metric names a query selects.
    static func metricNames(_ expr: Expr) -> Set<String> {
        var names: Set<String> = []
        _ = expr.mapSelectors { selector in
            if let name = selector.name { names.insert(name) }
            return selector
        }
        return names
    }

    @Test func everyDashboardQueryParses() throws {
        let queries = try Self.dashboardQueries()
        #expect(queries.count >= 20)
        for (file, expr) in queries {
            let parsed = try PromQL.parse(Self.resolved(expr))
            #expect(!Self.metricNames(parsed).isEmpty, "\(file): \(expr) names a metric")
        }
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func everyMetricTheDashboardsNameIsOneBallastExports() async throws {
        let directory = try TemporaryDirectory()
        let backend = try await MetricsBackend(directory, "a", utilization: 0.5)
        let standby = try await MetricsBackend(directory, "s", utilization: 0.5)
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(backend.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            signals: {util: backend_utilization}
            weights: {strategy: headroom, signal: util, target: 0.8}
            health: {unhealthy_after: 2}
            failover: {standby: ["\(standby.address)"]}
            scaling: {min: 1, max: 3, target: {signal: util, value: 0.6}}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("m.db")], in: directory.path)
        defer { daemon.stop() }
        try await daemon.waitForPool("web") { $0["evaluatedAt"] as? Int != nil }
        let (_, metrics) = try await daemon.get("/metrics")
        var exported: Set<String> = []
        for line in metrics.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            exported.insert(String(line.split(separator: " ")[2]))
        }
        for line in metrics.split(separator: "\n") where !line.hasPrefix("#") {
            exported.insert(String(line.prefix { $0 != "{" && $0 != " " }))
        }
        for (file, expr) in try Self.dashboardQueries() {
            for name in Self.metricNames(try PromQL.parse(Self.resolved(expr))) {
                #expect(exported.contains(name), "\(file): \(name) in \(expr) is not a metric Ballast exports")
            }
        }
    }

    @Test func everythingTheComposeFileMountsOrBuildsFromExists() throws {
        let compose = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        let mounts = compose.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- ./") else { return nil }
            return String(trimmed.dropFirst(2).prefix { $0 != ":" })
        }
        #expect(mounts.count >= 6)
        for mount in mounts {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(mount).path), "\(mount) is mounted but missing")
        }
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        for line in dockerfile.split(separator: "\n") where line.hasPrefix("COPY ") && !line.contains("--from") {
            let source = String(line.split(separator: " ")[1])
            #expect(
                FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(source).path),
                "Dockerfile copies \(source), which is missing"
            )
        }
        #expect(dockerfile.contains("\nUSER ballast\n"), "the image runs as a non-root user")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose")))
    func theComposeFileIsValid() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/docker-compose")
        check.arguments = ["-f", Self.root.appendingPathComponent("docker-compose.yml").path, "config", "--quiet"]
        let errors = Pipe()
        check.standardError = errors
        check.standardOutput = FileHandle.nullDevice
        try check.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(message)")
    }
}
