import Foundation
import TestSupport
import Testing

/// `signals_from` in a real daemon, against a real Prometheus 2.42 scraping the same backends:
/// signals and decisions agree with the local store's, `scrape: none` takes health from
/// Prometheus, and a stopped Prometheus gives signal errors, never zeros.
@Suite(
    .serialized,
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets"),
    .enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)")
)
struct RemoteSignalsTests {
    /// A Prometheus scraping `targets` every second as job `job`.
    private static func prometheus(scraping targets: [String], job: String) async throws -> PrometheusPeer {
        let peer = try PrometheusPeer()
        let list = targets.map { "\"\($0)\"" }.joined(separator: ", ")
        try await peer.start(
            config:
                "global: {scrape_interval: 1s, scrape_timeout: 800ms}\nscrape_configs:\n  - job_name: \(job)\n    static_configs: [{targets: [\(list)]}]\n"
        )
        return peer
    }

    private static func utilization(_ status: [String: Any]) -> [String: Double] {
        backendsByAddress(status).compactMapValues { ($0["signals"] as? [String: Any])?["util"] as? Double }
    }

    private static func weights(_ status: [String: Any]) -> [String: Int] {
        backendsByAddress(status).mapValues { $0["desiredWeight"] as? Int ?? -1 }
    }

    @Test func signalsFromPrometheusEqualTheLocalStoresAndDecisionsAgree() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let idle = try await MetricsBackend(directory, "b", utilization: 0.3)
        let peer = try await Self.prometheus(scraping: [busy.address, idle.address], job: "web")
        defer { peer.stop() }
        let common = """
            pool: web
            backends: {static: ["\(busy.address)", "\(idle.address)"]}
            scrape: {interval: 1s, timeout: 800ms}
            evaluation_interval: 1s
            signals: {util: backend_utilization}
            weights: {strategy: headroom, signal: util, target: 0.6, min: 1, max: 100}

            """
        let local = try await DaemonProcess(
            ["--policy", try directory.write("local.yaml", common), "--db", directory.file("local.db")],
            in: directory.path
        )
        let remote = try await DaemonProcess(
            [
                "--policy", try directory.write("remote.yaml", common + "signals_from: {url: \"http://127.0.0.1:\(peer.port)\", timeout: 2s}\n"),
                "--db", directory.file("remote.db"),
            ],
            in: directory.path
        )
        // The gauges are constant between changes, so both sources read the same values once
        // each has scraped since the last change.
        for (busyValue, idleValue) in [(0.9, 0.3), (0.2, 0.95)] {
            try busy.set(busyValue)
            try idle.set(idleValue)
            let expected = [busy.address: busyValue, idle.address: idleValue]
            _ = try await local.waitForPool("web", seconds: 30) { Self.utilization($0) == expected }
            let fromPrometheus = try await remote.waitForPool("web", seconds: 30) { Self.utilization($0) == expected }
            #expect((fromPrometheus["signalErrors"] as? [String: Any])?.isEmpty == true)
            // Both engines move the weights step by step from the same signals: they reach the
            // same weights and stay there.
            var agreed = false
            for _ in 0..<60 where !agreed {
                let (ours, theirs) = (Self.weights(try await local.pool("web")), Self.weights(try await remote.pool("web")))
                agreed = ours == theirs && Set(ours.values).count == 2
                if !agreed { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(agreed, "weights from the store and from Prometheus never agreed")
        }

        let (_, metrics) = try await remote.get("/metrics")
        #expect(metrics.contains(#"ballast_signal_read_seconds_count{pool="web",source="remote"}"#))
        #expect(try await local.get("/metrics").1.contains(#"ballast_signal_read_seconds_count{pool="web",source="local"}"#))

        peer.halt()
        // While it shuts down, Prometheus may still answer 503; once stopped, nothing listens.
        let failing = try await remote.waitForPool("web", seconds: 20) {
            ($0["signalErrors"] as? [String: String])?["util"]?.contains("connection refused") == true
        }
        let reason = (failing["signalErrors"] as? [String: String])?["util"] ?? ""
        #expect(reason.contains("127.0.0.1:\(peer.port)") && reason.contains("connection refused"), "\(reason)")
        #expect(Self.utilization(failing).isEmpty, "a stopped Prometheus must give no values, not zeros: \(Self.utilization(failing))")
        #expect(Self.utilization(try await local.pool("web")).count == 2)
        #expect(await remote.terminate()?.status == 0)
        #expect(await local.terminate()?.status == 0)
    }

    @Test func scrapeNoneTakesEachBackendsHealthFromPrometheus() async throws {
        let directory = try TemporaryDirectory()
        let first = try await MetricsBackend(directory, "a", utilization: 0.5)
        let second = try await MetricsBackend(directory, "b", utilization: 0.5)
        let peer = try await Self.prometheus(scraping: [first.address, second.address], job: "backends")
        defer { peer.stop() }
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(first.address)", "\(second.address)"]}
            scrape: none
            signals_from: {url: "http://127.0.0.1:\(peer.port)", job: backends}
            evaluation_interval: 500ms
            signals: {util: backend_utilization}
            health: {unhealthy_after: 1, healthy_after: 1, eject_for: 1m}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await daemon.waitForPool("web", seconds: 30) { status in
            backendsByAddress(status).values.allSatisfy { $0["up"] as? Bool == true } && Self.utilization(status).count == 2
        }
        first.server.stop()
        let ejected = try await daemon.waitForPool("web", seconds: 30) { backendsByAddress($0)[first.address]?["state"] as? String == "ejected" }
        #expect(backendsByAddress(ejected)[first.address]?["up"] as? Bool == false)
        #expect(backendsByAddress(ejected)[second.address]?["state"] as? String == "serving")
        // Ballast scraped nothing itself: its store has no up series.
        let (_, up) = try await daemon.get("/api/v1/query?query=up")
        #expect(up.contains(#""result":[]"#), "\(up)")
        let (_, targets) = try await daemon.get("/api/v1/targets")
        #expect(targets.contains("not scraped (scrape: none)"))

        peer.halt()
        let unknown = try await daemon.waitForPool("web", seconds: 20) { status in
            backendsByAddress(status)[second.address]?["health"] as? String == "unknown"
        }
        let lastError = backendsByAddress(unknown)[second.address]?["lastError"] as? String ?? ""
        #expect(lastError.contains("connection refused"), "\(lastError)")
        // Unknown health ejects nothing: the backend Prometheus last saw up keeps serving.
        #expect(backendsByAddress(unknown)[second.address]?["state"] as? String == "serving")
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func aHangingServerHoldsNoEvaluationBackAndANaNSignalShowsAsNaN() async throws {
        let directory = try TemporaryDirectory()
        let first = try await MetricsBackend(directory, "a", utilization: 0.5)
        let second = try await MetricsBackend(directory, "b", utilization: 0.5)
        let idle = try await MetricsBackend(directory, "c", utilization: 0)
        // A ratio at zero traffic: 0/0.
        try idle.server.serve("# TYPE backend_utilization gauge\nbackend_utilization NaN\n")
        let silent = try SilentListener()
        defer { silent.close() }
        let backends = "backends: {static: [\"\(first.address)\", \"\(second.address)\"]}\n"
        let hanging = try directory.write(
            "hanging.yaml",
            "pool: web\n" + backends + "scrape: {interval: 250ms, timeout: 200ms}\nevaluation_interval: 10s\nsignals: {util: backend_utilization}\n"
                + "health: {unhealthy_after: 1, eject_for: 1m}\nsignals_from: {url: \"http://127.0.0.1:\(silent.port)\", timeout: 30s}\n"
        )
        let local = try directory.write(
            "local.yaml",
            "pool: local\nbackends: {static: [\"\(idle.address)\"]}\n"
                + "scrape: {interval: 250ms, timeout: 200ms}\nevaluation_interval: 500ms\nsignals: {util: backend_utilization}\n"
        )
        let daemon = try await DaemonProcess(["--policy", hanging, "--policy", local, "--db", directory.file("b.db")], in: directory.path)
        let waiting = try await daemon.waitForPool("web") { ($0["signalErrors"] as? [String: String])?["util"] != nil }
        #expect((waiting["signalErrors"] as? [String: String])?["util"]?.contains("has not answered within") == true)
        second.server.stop()
        let stopped = ContinuousClock.now
        _ = try await daemon.waitForPool("web", seconds: 10) { backendsByAddress($0)[second.address]?["state"] as? String == "ejected" }
        #expect(ContinuousClock.now - stopped < .seconds(3), "a hanging signals_from server delayed the ejection")

        // JSON has no NaN: the status API writes it as Prometheus does, and keeps answering.
        try await daemon.waitForPool("local") { (backendsByAddress($0)[idle.address]?["signals"] as? [String: Any])?["util"] as? String == "NaN" }
        #expect(await daemon.terminate()?.status == 0)
    }
}
