import Foundation
import TestSupport
import Testing

/// The control loop in a real daemon: signals from real scrapes into the engine, decisions
/// journaled with the state, the status API, operator commands, and state across a `kill -9`.
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets")
)
struct ControlLoopTests {
    @Test func weightsFollowAChangingUtilisationGauge() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let idle = try await MetricsBackend(directory, "b", utilization: 0.3)
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(busy.address)", "\(idle.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            signals: {util: backend_utilization}
            weights: {strategy: headroom, signal: util, target: 0.6, min: 1, max: 100}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await daemon.waitForPool("web") { status in
            let weights = backendsByAddress(status).mapValues { $0["desiredWeight"] as? Int ?? 0 }
            return (weights[busy.address] ?? 0) > 0 && (weights[idle.address] ?? 0) > (weights[busy.address] ?? 0) * 2
        }
        try busy.set(0.2)
        try idle.set(0.95)
        let flipped = try await daemon.waitForPool("web") { status in
            let weights = backendsByAddress(status).mapValues { $0["desiredWeight"] as? Int ?? 0 }
            return (weights[busy.address] ?? 0) > (weights[idle.address] ?? 0) * 2
        }
        #expect(flipped["applied"] as? Bool == true)
        let (_, journal) = try await daemon.get("/api/v1/decisions?pool=web&kind=weights&limit=2")
        #expect(journal.contains(#""kind":"weights""#) && journal.contains("headroom"))
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func aKilledBackendIsEjectedAfterItsFailedScrapesNotAfterAnEvaluationTick() async throws {
        let directory = try TemporaryDirectory()
        let first = try await MetricsBackend(directory, "a", utilization: 0.5)
        let second = try await MetricsBackend(directory, "b", utilization: 0.5)
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(first.address)", "\(second.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1h
            health: {unhealthy_after: 2, healthy_after: 2, eject_for: 30s}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await daemon.waitForPool("web") { backendsByAddress($0).values.allSatisfy { $0["up"] as? Bool == true } }
        first.server.stop()
        // The evaluation interval is an hour: only the failed scrapes can trigger the ejection.
        let ejected = try await daemon.waitForPool("web", seconds: 10) { backendsByAddress($0)[first.address]?["state"] as? String == "ejected" }
        #expect(backendsByAddress(ejected)[second.address]?["state"] as? String == "serving")
        let (_, metrics) = try await daemon.get("/metrics")
        #expect(metrics.contains("ballast_failover_seconds_count 1"))
        #expect(metrics.contains(#"ballast_decisions_total{pool="web",kind="eject"} 1"#))
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func aHoldDownSurvivesAKillAndRestartOfTheDaemon() async throws {
        let directory = try TemporaryDirectory()
        let primary = try await MetricsBackend(directory, "a", utilization: 0.5)
        let standby = try await MetricsBackend(directory, "b", utilization: 0.5)
        let policy = try directory.write(
            "db.yaml",
            """
            pool: db
            backends: {static: ["\(primary.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            health: {unhealthy_after: 1, healthy_after: 1, max_ejected: 100%, panic_threshold: 0%}
            failover:
              standby: ["\(standby.address)"]
              hold_down: 1h
              activate_below: 100%
              failback: auto
              failback_delay: 1s

            """
        )
        let arguments = ["--policy", policy, "--db", directory.file("b.db")]
        var daemon = try await DaemonProcess(arguments, in: directory.path)
        try await daemon.waitForPool("db") { backendsByAddress($0).values.allSatisfy { $0["up"] as? Bool == true } }
        primary.server.stop()
        try await daemon.waitForPool("db", seconds: 10) { $0["servingTier"] as? String == "standby" }
        daemon.stop()  // kill -9: no chance to flush anything but what each evaluation committed

        // The primary is back; without the saved state a fresh engine would serve it at once.
        let revived = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file("a")), port: primary.server.port)
        defer { revived.stop() }
        daemon = try await DaemonProcess(arguments, in: directory.path)
        try await daemon.waitForPool("db") { backendsByAddress($0)[primary.address]?["up"] as? Bool == true }
        try await Task.sleep(for: .seconds(3))
        let status = try await daemon.pool("db")
        #expect(status["servingTier"] as? String == "standby", "the hold-down must keep the standby serving after a restart")
        #expect((status["holdDownRemainingSeconds"] as? Double ?? 0) > 3_000)
        let (_, journal) = try await daemon.get("/api/v1/decisions?pool=db&kind=failover")
        #expect(journal.components(separatedBy: #""kind":"failover""#).count - 1 == 1, "exactly one failover, before the restart")
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func aSignalNamingAnUnknownInstanceIsReported() async throws {
        let directory = try TemporaryDirectory()
        let backend = try await MetricsBackend(directory, "a", utilization: 0.5)
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(backend.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            signals:
              util: 'label_replace(backend_utilization, "instance", "10.9.9.9:80", "", "")'
            weights: {strategy: headroom, signal: util, target: 0.6}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        let status = try await daemon.waitForPool("web") { ($0["signalErrors"] as? [String: String])?["util"] != nil }
        #expect((status["signalErrors"] as? [String: String])?["util"]?.contains("10.9.9.9:80") == true)
        let (_, metrics) = try await daemon.get("/metrics")
        #expect(metrics.contains(#"ballast_pool_signal_errors{pool="web"} 1"#))
        #expect(daemon.log.contains("signal has no value"))
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func operatorCommandsNeedTheTokenAndGoThroughTheEngine() async throws {
        let directory = try TemporaryDirectory()
        let first = try await MetricsBackend(directory, "a", utilization: 0.5)
        let second = try await MetricsBackend(directory, "b", utilization: 0.5)
        try directory.write(
            "web.yaml",
            "pool: web\nbackends: {static: [\"\(first.address)\", \"\(second.address)\"]}\nscrape: {interval: 500ms, timeout: 400ms}\n"
        )
        try directory.write("token", "s3cret\n")
        try directory.write("ballast.yaml", "policies: [web.yaml]\nadmin: {token_file: token}\n")
        let daemon = try await DaemonProcess(["--config", directory.file("ballast.yaml"), "--db", directory.file("b.db")], in: directory.path)
        let server = "http://127.0.0.1:\(daemon.port)"
        let refused = try await BallastProcess.run(["drain", "web", first.address, "--server", server])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("Authorization: Bearer"))
        let wrongToken = try directory.write("wrong", "guess\n")
        #expect(try await BallastProcess.run(["drain", "web", first.address, "--server", server, "--token-file", wrongToken]).status == 1)
        let drained = try await BallastProcess.run(["drain", "web", first.address, "--server", server, "--token-file", directory.file("token")])
        #expect(drained.status == 0, "\(drained.standardError)")
        #expect(drained.standardOutput.contains("drain"))
        try await daemon.waitForPool("web") { backendsByAddress($0)[first.address]?["state"] as? String == "drained" }
        let hostile = try await BallastProcess.run([
            "drain", "web", "1.2.3.4:80; include /etc/passwd", "--server", server, "--token-file", directory.file("token"),
        ])
        #expect(hostile.status == 1)
        #expect(
            try await BallastProcess.run(["undrain", "web", first.address, "--server", server, "--token-file", directory.file("token")]).status == 0
        )
        let status = try await BallastProcess.run(["status", "--server", server])
        #expect(status.status == 0)
        #expect(status.standardOutput.contains("pool web") && status.standardOutput.contains(first.address))
        let (_, journal) = try await daemon.get("/api/v1/decisions?pool=web&kind=drain")
        #expect(journal.contains(#""origin":"operator""#))
        #expect(await daemon.terminate()?.status == 0)
    }

    @Test func dryRunDecidesAndJournalsButAppliesNothing() async throws {
        let directory = try TemporaryDirectory()
        let backend = try await MetricsBackend(directory, "a", utilization: 0.5)
        let policy = try directory.write(
            "web.yaml",
            "pool: web\nbackends: {static: [\"\(backend.address)\"]}\nscrape: {interval: 500ms, timeout: 400ms}\n"
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db"), "--dry-run"], in: directory.path)
        let status = try await daemon.waitForPool("web") { $0["evaluatedAt"] != nil }
        #expect(status["dryRun"] as? Bool == true)
        #expect(status["applier"] as? String == "log")
        #expect(daemon.log.contains("dry run"))
        #expect(await daemon.terminate()?.status == 0)
    }
}
