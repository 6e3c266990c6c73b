import Foundation
import HTTPFetch
import Logging
import Prometheus
import Store
import Synchronization
import TestSupport
import Testing

@testable import Collector

/// The collector against real HTTP targets on loopback: a healthy one beside targets that hang,
/// stream forever, answer garbage, refuse connections, fail with 500 or send the wrong
/// Content-Type. Each bad one is `up 0` with its reason, none delays the healthy one, and the
/// endless body stops at the size limit.
@Suite(.enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets"))
struct CollectorTests {
    private func collector(_ store: LiveStore, _ fetcher: HTTPFetcher, observed: Reports) -> Collector {
        let collector = Collector(
            scraper: Scraper(fetcher: fetcher, userAgent: "Ballast/test"),
            writer: store.writer,
            logger: Logger(label: "test"),
            metrics: CollectorMetrics(registry: PrometheusCollectorRegistry())
        )
        Task {
            for await report in collector.reports { await observed.add(report) }
        }
        return collector
    }

    private func target(
        _ url: String,
        job: String = "pool",
        instance: String,
        interval: Int64 = 500,
        timeout: Int64 = 300,
        limit: Int = 1 << 20
    ) -> ScrapeTarget {
        ScrapeTarget(job: job, instance: instance, url: url, intervalMilliseconds: interval, timeoutMilliseconds: timeout, bodySizeLimit: limit)
    }

    @Test func hostileTargetsAreDownWithTheirReasonAndDoNotDelayAHealthyOne() async throws {
        let directory = try TemporaryDirectory()
        let server = try await HostileTargets(port: try PrometheusPeer.freePort())
        defer { server.stop() }
        let refusedPort = try PrometheusPeer.freePort()
        let store = try LiveStore(path: directory.file("ballast.db"))
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let reports = Reports()
        let collector = collector(store, fetcher, observed: reports)
        let targets = [
            target(server.url("/ok"), instance: "10.0.0.1:80"),
            target(server.url("/hang"), instance: "10.0.0.2:80"),
            // A small limit, reached within the timeout even when the machine is busy.
            target(server.url("/endless"), instance: "10.0.0.3:80", limit: 32 << 10),
            target(server.url("/garbage"), instance: "10.0.0.4:80"),
            target("http://127.0.0.1:\(refusedPort)/metrics", instance: "10.0.0.5:80"),
            target(server.url("/error"), instance: "10.0.0.6:80"),
            target(server.url("/json"), instance: "10.0.0.7:80"),
        ]
        let expectations = [
            "10.0.0.2:80": "timed out", "10.0.0.3:80": "body size limit exceeded", "10.0.0.4:80": "parse error",
            "10.0.0.5:80": "connection refused", "10.0.0.6:80": "server returned HTTP status 500 Internal Server Error",
            "10.0.0.7:80": "unsupported Content-Type \"application/json\"",
        ]
        await collector.setTargets(targets)
        // Every hostile target fails with its reason at least twice while the healthy one keeps
        // its schedule: six scrapes, all up (a hanging neighbour would cost it one per timeout).
        try await reports.wait { reports in
            let healthy = reports.filter { $0.target.instance == "10.0.0.1:80" }
            return healthy.count >= 6
                && expectations.allSatisfy { instance, reason in
                    reports.filter { $0.target.instance == instance && $0.error?.contains(reason) == true }.count >= 2
                }
        }
        await collector.stop()

        let statuses = Dictionary(uniqueKeysWithValues: collector.statuses().map { ($0.target.instance, $0) })
        #expect(statuses["10.0.0.1:80"]?.health == .up)
        for (instance, reason) in expectations {
            #expect(statuses[instance]?.health == .down, "\(instance)")
            #expect(statuses[instance]?.lastError.contains(reason) == true, "\(instance): \(statuses[instance]?.lastError ?? "no status")")
        }
        let all = await reports.all
        #expect(all.filter { $0.target.instance == "10.0.0.1:80" }.allSatisfy { $0.up })
        #expect(all.filter { $0.target.instance != "10.0.0.1:80" }.allSatisfy { !$0.up })
        let stored = try store.read { store in
            try store.series(matching: [LabelMatcher("__name__", .equal, "up")], from: .min, through: .max)
        }
        let upByInstance = Dictionary(uniqueKeysWithValues: stored.map { ($0.labels["instance"] ?? "", $0.samples.last?.value) })
        #expect(upByInstance["10.0.0.1:80"] == 1)
        #expect(expectations.keys.allSatisfy { upByInstance[$0] == 0 })
        let hostileSeries = try store.read { store in
            try store.series(matching: [LabelMatcher("__name__", .equal, "endless_metric")], from: .min, through: .max)
        }
        #expect(hostileSeries.isEmpty, "a failed scrape stores nothing but its report series")
    }

    @Test func aScrapeStoresSamplesWithTargetLabelsAndPrometheusReportSeries() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        try server.serve("# TYPE requests_total counter\nrequests_total{job=\"inner\",code=\"200\"} 7\ntemperature 21.5 1700000000000\n")
        let store = try LiveStore(path: directory.file("ballast.db"))
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let scraper = Scraper(fetcher: fetcher, userAgent: "Ballast/test")
        var target = target("http://127.0.0.1:\(server.port)/metrics", job: "web", instance: "10.1.1.1:8080")
        target.labels = ["zone": "a"]
        var cache = SeriesCache()
        let report = await scraper.scrape(target, at: 1_800_000_000_000, cache: &cache)
        let labelsOf = scraper.labels(of: target, cache: cache)
        let labels = report.samples.indices.map { labelsOf($0).decoded.description }
        cache.endScrape(succeeded: true)
        #expect(report.error == nil)
        #expect(report.samplesScraped == 2 && report.seriesAdded == 2)
        #expect(labels.contains(#"requests_total{code="200", exported_job="inner", instance="10.1.1.1:8080", job="web", zone="a"}"#))
        #expect(report.samples.map(\.sample.timestamp) == [1_800_000_000_000, 1_700_000_000_000])
        #expect(
            report.reportSamples.map { $0.labels.metricName ?? "" } == [
                "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
            ]
        )

        // The next scrape finds both series in the cache: nothing added.
        let again = await scraper.scrape(target, at: 1_800_000_001_000, cache: &cache)
        #expect(again.seriesAdded == 0)
        _ = store
    }

    /// Prometheus counts what it parsed before the line a scrape failed at, and that line too
    /// when its fault is one it finds only on storing the sample (a duplicate label name in a
    /// line that otherwise parses, as 2.42's head appender does); a fault of the text itself is
    /// not counted, and `scrape_samples_post_metric_relabeling` counts what was stored before.
    @Test func aFailedScrapeCountsTheSamplesPrometheusCounts() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let scraper = Scraper(fetcher: fetcher, userAgent: "Ballast/test")
        let target = target("http://127.0.0.1:\(server.port)/metrics", job: "web", instance: "10.1.1.1:8080")
        let bodies = [
            ("a 1\nb{x=\"1\",x=\"2\"} 2\nc 3\n", 2),
            // The value is wrong too: Prometheus' parser stops at it, before any count.
            ("a 1\nb{x=\"1\",x=\"2\"} oops\nc 3\n", 1),
            ("a 1\nb{x=\"1\" 2\nc 3\n", 1),
        ]
        for (body, counted) in bodies {
            try server.serve(body)
            var cache = SeriesCache()
            let report = await scraper.scrape(target, at: 1_800_000_000_000, cache: &cache)
            #expect(!report.up && report.samples.isEmpty, "\(body)")
            #expect(report.samplesScraped == counted, "\(body)")
            // Stored before the failure, as Prometheus' `added`: the first line alone.
            #expect(report.samplesAccepted == 1, "\(body)")
            #expect(report.reportSamples[3].sample.value == 1, "\(body)")
        }
    }

    @Test func scrapesSendPrometheusHeadersAndSecretsReadFromFiles() async throws {
        let directory = try TemporaryDirectory()
        let server = try await HostileTargets(port: try PrometheusPeer.freePort())
        defer { server.stop() }
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let scraper = Scraper(fetcher: fetcher, userAgent: "Ballast/9.9")
        var cache = SeriesCache()
        let echoTarget = target(server.url("/echo?module=http_2xx"), instance: "10.3.3.3:80", timeout: 2_500)
        let echo = await scraper.scrape(echoTarget, at: 0, cache: &cache)
        let labelsOf = scraper.labels(of: echoTarget, cache: cache)
        let echoed = echo.samples.indices.map { labelsOf($0).decoded }
        let headers = Dictionary(echoed.filter { $0.metricName == "header" }.map { ($0["name"] ?? "", $0["value"] ?? "") }) { first, _ in first }
        #expect(headers["user-agent"] == "Ballast/9.9")
        #expect(headers["accept"] == Scraper.acceptHeader)
        #expect(headers["accept-encoding"] == "gzip")
        #expect(headers["x-prometheus-scrape-timeout-seconds"] == "2.5")
        #expect(echoed.contains { $0.metricName == "query" && $0["value"] == "module=http_2xx" })

        let token = try directory.write("token", "s3cret\n")
        var bearer = target(server.url("/auth"), instance: "10.3.3.4:80")
        #expect(await scraper.scrape(bearer, at: 0, cache: &cache).error?.contains("401 Unauthorized") == true)
        bearer.bearerTokenFile = token
        #expect(await scraper.scrape(bearer, at: 0, cache: &cache).error == nil)
        var basic = target(server.url("/auth"), instance: "10.3.3.5:80")
        basic.basicAuth = BasicAuthFiles(username: "user", passwordFile: token)
        #expect(await scraper.scrape(basic, at: 0, cache: &cache).error == nil)
        basic.basicAuth = BasicAuthFiles(username: "user", passwordFile: directory.file("missing"))
        let missing = await scraper.scrape(basic, at: 0, cache: &cache)
        #expect(missing.error == "cannot read basic_auth.password_file \(directory.file("missing"))")
    }

    @Test func aFailedScrapeMarksTheTargetsSeriesStaleAndARemovedTargetGoesStaleToo() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        try server.serve("a 1\nb 2\n")
        let store = try LiveStore(path: directory.file("ballast.db"))
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let reports = Reports()
        let collector = collector(store, fetcher, observed: reports)
        let scraped = target("http://127.0.0.1:\(server.port)/metrics", instance: "10.2.2.2:80", interval: 200, timeout: 150)
        await collector.setTargets([scraped])
        try await reports.wait { $0.count >= 2 }
        try server.serve("a 1\n")
        try await reports.wait { $0.count >= 4 }
        try server.serve(bytes: [0x01], as: "metrics")
        try await reports.wait { $0.last?.up == false }
        await collector.setTargets([])
        let series = try store.read { try $0.series(matching: [], from: .min, through: .max) }
        func last(_ name: String) -> Sample? { series.first { $0.labels.metricName == name }?.samples.last }
        #expect(last("b")?.isStale == true)
        #expect(last("a")?.isStale == true)
        #expect(last("up")?.isStale == true, "a removed target's report series go stale too")
        #expect(series.first { $0.labels.metricName == "up" }?.samples.dropLast().last?.value == 0)
    }

    /// Retention that deletes series invalidates the ids the scrape loop keeps: the store then
    /// asks for every sample's labels, which the loop builds from its keys (exposed labels that
    /// clash with the target's renamed as at the first scrape), so nothing is lost or misfiled.
    @Test func aScrapeAfterRetentionDeletedItsSeriesIsStoredByLabels() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("www")), port: try PrometheusPeer.freePort())
        defer { server.stop() }
        try server.serve("a 1\nb{job=\"x\",exported_job=\"y\",z=\"é\\n\"} 2\n")
        let store = try LiveStore(path: directory.file("ballast.db"))
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let reports = Reports()
        let collector = collector(store, fetcher, observed: reports)
        await collector.setTargets([target("http://127.0.0.1:\(server.port)/metrics", instance: "10.4.4.4:80", interval: 200, timeout: 150)])
        try await reports.wait { $0.count >= 2 }
        // Everything before the far future goes: every series is deleted.
        let deleted = try await store.writer.applyRetention(before: .max / 2, maximumBytes: nil)
        #expect(deleted.seriesDeleted > 0)
        let before = await reports.all.count
        try await reports.wait { $0.count >= before + 2 }
        await collector.stop()
        let series = try store.read { try $0.series(matching: [], from: .min, through: .max) }
        #expect(series.first { $0.labels.metricName == "a" }?.samples.isEmpty == false)
        #expect(series.contains { $0.labels.metricName == "up" })
        #expect(Set(series.map(\.labels)).count == series.count)
        let b = series.filter { $0.labels.metricName == "b" }
        #expect(
            b.map(\.labels) == [
                Labels(name: "b", ["job": "pool", "instance": "10.4.4.4:80", "exported_exported_job": "x", "exported_job": "y", "z": "é\n"])
            ]
        )
        // Each value in its own series: labels swapped between series would show here.
        let a = series.first { $0.labels.metricName == "a" }?.samples.filter { !$0.isStale } ?? []
        #expect(!a.isEmpty && a.allSatisfy { $0.value == 1 })
        #expect(b.first.map { $0.samples.filter { !$0.isStale }.allSatisfy { $0.value == 2 } && !$0.samples.isEmpty } == true)
    }
}

/// The reports the collector published, in order.
actor Reports {
    private(set) var all: [ScrapeReport] = []

    func add(_ report: ScrapeReport) { all.append(report) }

    /// Polls until `condition` holds over the reports, or fails after 30 s.
    func wait(_ condition: ([ScrapeReport]) -> Bool) async throws {
        for _ in 0..<600 {
            if condition(all) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError(message: "the collector never produced the expected scrapes")
    }
}
