import Foundation
import TestSupport
import Testing

/// Scale and promote hooks run by a real daemon: the pool's members follow a scale hook's answer,
/// a hostile answer changes nothing and is journaled, and a failing promote hook blocks the
/// failover until it succeeds.
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets")
)
struct DaemonHookTests {
    private func decisions(_ pool: [String: Any]) -> [(kind: String, reason: String)] {
        (pool["decisions"] as? [[String: Any]] ?? []).map { ($0["kind"] as? String ?? "", $0["reason"] as? String ?? "") }
    }

    private func addresses(_ pool: [String: Any]) -> Set<String> {
        Set(backendsByAddress(pool).keys)
    }

    private func scalingPolicy(_ directory: TemporaryDirectory, _ busy: MetricsBackend, answer: String) throws -> String {
        let answerFile = try directory.write("answer.json", answer)
        let hook = try directory.write("scale.sh", "#!/bin/sh\ncat > request.json\ncat \(answerFile)\n")
        chmod(hook, 0o755)
        return try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(busy.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            signals: {util: backend_utilization}
            scaling:
              min: 1
              max: 2
              target: {signal: util, value: 0.5}
              hook: {exec: [./scale.sh], timeout: 5s}

            """
        )
    }

    @Test func thePoolsMembersFollowTheScaleHooksAnswer() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let fresh = try await MetricsBackend(directory, "b", utilization: 0.3)
        let policy = try scalingPolicy(directory, busy, answer: #"{"backends": ["\#(busy.address)", "\#(fresh.address)"]}"#)
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        let scaled = try await daemon.waitForPool("web") { self.addresses($0) == [busy.address, fresh.address] }
        #expect(decisions(scaled).contains { $0.kind == "scale" })
        let request = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("request.json")))) as? [String: Any]
        #expect(request?["from"] as? Int == 1)
        #expect(request?["to"] as? Int == 2)
        #expect(request?["backends"] as? [String] == [busy.address])
        // The answered members are kept with the engine state: a restart keeps the scaled pool.
        #expect(await daemon.terminate()?.status == 0)
        let restarted = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await restarted.waitForPool("web") { self.addresses($0) == [busy.address, fresh.address] }
    }

    @Test func aHostileScaleAnswerChangesNothingAndIsJournaled() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let policy = try scalingPolicy(directory, busy, answer: #"{"backends": ["1.2.3.4:80; include /etc/passwd"]}"#)
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        let status = try await daemon.waitForPool("web") { status in self.decisions(status).contains { $0.kind == "scale_failed" } }
        let failed = try #require(decisions(status).first { $0.kind == "scale_failed" })
        #expect(failed.reason.contains("invalid address"))
        #expect(addresses(status) == [busy.address])
        let (_, journal) = try await daemon.get("/api/v1/decisions?pool=web&kind=scale_failed")
        #expect(journal.contains("scale_failed"))
    }

    @Test func aScaleAnswerNamingAnotherPoolsBackendChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let neighbour = try await MetricsBackend(directory, "b", utilization: 0.3)
        let policy = try scalingPolicy(directory, busy, answer: #"{"backends": ["\#(busy.address)", "\#(neighbour.address)"]}"#)
        try directory.write("api.yaml", "pool: api\nbackends: {static: [\"\(neighbour.address)\"]}\nscrape: {interval: 500ms, timeout: 400ms}\n")
        let daemon = try await DaemonProcess(
            ["--policy", policy, "--policy", directory.file("api.yaml"), "--db", directory.file("b.db")],
            in: directory.path
        )
        let status = try await daemon.waitForPool("web") { status in self.decisions(status).contains { $0.kind == "scale_failed" } }
        #expect(decisions(status).first { $0.kind == "scale_failed" }?.reason.contains("a backend of another pool") == true)
        #expect(addresses(status) == [busy.address])
    }

    @Test func aFailingPromoteHookBlocksTheFailoverUntilItSucceeds() async throws {
        let directory = try TemporaryDirectory()
        let primary = try await MetricsBackend(directory, "a", utilization: 0.5)
        let standby = try await MetricsBackend(directory, "b", utilization: 0.5)
        let hook = try directory.write("promote.sh", "#!/bin/sh\n[ -f allow ] || { echo 'standby is not caught up' >&2; exit 1; }\n")
        chmod(hook, 0o755)
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
              promote: {exec: [./promote.sh], timeout: 5s}
              activate_below: 100%
              failback: manual

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("b.db")], in: directory.path)
        try await daemon.waitForPool("db") { ($0["backends"] as? [[String: Any]] ?? []).allSatisfy { $0["up"] as? Bool == true } }
        primary.server.stop()
        let blocked = try await daemon.waitForPool("db") { status in
            self.decisions(status).contains { $0.kind == "failover_blocked" && $0.reason.contains("the promote hook failed") }
        }
        #expect(blocked["servingTier"] as? String == "active")
        #expect(decisions(blocked).first { $0.kind == "failover_blocked" }?.reason.contains("standby is not caught up") == true)
        try directory.write("allow", "")
        try await daemon.waitForPool("db") { $0["servingTier"] as? String == "standby" }
    }
}
