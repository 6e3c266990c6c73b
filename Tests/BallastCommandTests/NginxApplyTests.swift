import Foundation
import TestSupport
import Testing

/// The daemon driving a real nginx: scrapes decide, the upstream file is rewritten, tested and
/// reloaded, and traffic through nginx follows (counted per backend).
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the backends"),
    .enabled(if: NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
)
struct NginxApplyTests {
    private func tally(_ nginx: NginxPeer, _ count: Int) -> [String: Int] {
        var tally: [String: Int] = [:]
        for _ in 0..<count { tally[HTTPProbe.get(port: nginx.proxyPort, path: "/whoami") ?? "", default: 0] += 1 }
        return tally
    }

    /// Polls `probe` until it returns true, or fails after `seconds` with `context`.
    private func eventually(seconds: Double = 20, _ context: @autoclosure () -> String, _ probe: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await probe() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError(message: "never happened: \(context())")
    }

    @Test func weightsReachNginxAndADeadBackendStopsReceivingTraffic() async throws {
        let directory = try TemporaryDirectory()
        chmod(directory.path, 0o755)
        let b1 = try await MetricsBackend(directory, "b1")
        let b2 = try await MetricsBackend(directory, "b2")
        let nginx = try NginxPeer(upstream: { _ in "upstream web {\n    server \(b1.address);\n    server \(b2.address);\n}\n" })
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(b1.address)", "\(b2.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            health: {unhealthy_after: 1, max_ejected: 50%}
            weights: {strategy: static, static: {"\(b1.address)": 3, "\(b2.address)": 1}, min: 1, max: 10}
            apply:
              nginx:
                file: \(nginx.upstreamFile)
                upstream: web
                test: \(nginx.testCommand)
                reload: \(nginx.reloadCommand)
                min_reload_interval: 0s

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await eventually(self.tally(nginx, 8).description + daemon.log.suffix(2000)) {
            (try String(contentsOfFile: nginx.upstreamFile, encoding: .utf8)).contains("server \(b1.address) weight=3")
        }
        let (_, body) = try await daemon.get("/api/v1/pools/web")
        #expect(body.contains("\"applier\":\"nginx\""))
        try await eventually("3:1 through nginx: \(self.tally(nginx, 8))") { self.tally(nginx, 40) == ["b1": 30, "b2": 10] }

        b2.server.stop()
        try await eventually("b2 ejected in nginx\n\(daemon.log.suffix(2000))") {
            (try String(contentsOfFile: nginx.upstreamFile, encoding: .utf8)).contains("server \(b2.address) down;")
        }
        try await eventually("all traffic to b1: \(self.tally(nginx, 8))") { self.tally(nginx, 20) == ["b1": 20] }
        #expect(daemon.log.contains("nginx reloaded"))
    }

    @Test func aRefusedConfigurationIsReportedJournaledAndLeavesNginxAsItWas() async throws {
        let directory = try TemporaryDirectory()
        chmod(directory.path, 0o755)
        let b1 = try await MetricsBackend(directory, "b1")
        let b2 = try await MetricsBackend(directory, "b2")
        let upstream = "upstream web {\n    server \(b1.address);\n    server \(b2.address);\n}\n"
        let nginx = try NginxPeer(upstream: { _ in upstream })
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(b1.address)", "\(b2.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            weights: {strategy: static, static: {"\(b1.address)": 3, "\(b2.address)": 1}, min: 1, max: 10}
            apply:
              nginx: {file: \(nginx.upstreamFile), upstream: web, test: [/bin/false], reload: \(nginx.reloadCommand)}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        let status = try await daemon.waitForPool("web") { status in
            (status["decisions"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "apply_failed" }
        }
        #expect(status["applied"] as? Bool == false)
        #expect((status["lastApplyError"] as? String)?.contains("refused the new upstream") == true)
        // nginx never reloaded, so it still balances 1:1 over the old file.
        #expect(tally(nginx, 10) == ["b1": 5, "b2": 5])
        let (_, journal) = try await daemon.get("/api/v1/decisions?pool=web&kind=apply_failed")
        #expect(journal.contains("refused the new upstream"))
        #expect(daemon.log.contains("retry_in_ms"))
        // Each retry puts the new text in place only while the test runs; once the daemon has
        // stopped, the file is the one nginx runs.
        #expect(await daemon.terminate()?.status == 0)
        #expect(try String(contentsOfFile: nginx.upstreamFile, encoding: .utf8) == upstream)
    }
}
