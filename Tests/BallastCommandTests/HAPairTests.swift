import Foundation
import TestSupport
import Testing

/// Two `ballast run` instances as an HA pair over a real PostgreSQL 15: exactly one applies; a
/// `kill -9` of the leader hands over within the lease; a leader cut off from PostgreSQL stops
/// applying before the other starts; the engine state crosses over. Every claim is checked from
/// the applier's own log: an exec applier appending `INSTANCE MILLISECONDS` per applied routing.
@Suite(
    .serialized,
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: MetricsFileServer.isAvailable, "python3 is needed to serve the targets"),
    .enabled(if: PostgresPeer.isInstalled, "PostgreSQL 15 is not installed (apt-get install postgresql)")
)
struct HAPairTests {
    private static let lease = 4_000

    /// One instance of the pair: its configuration (the lease through its own relay to
    /// PostgreSQL) and its policy (the same but for the name its applier logs).
    private static func configure(_ name: String, directory: TemporaryDirectory, relay: TCPRelay, backends: [String]) throws -> String {
        let policy = try directory.write(
            "\(name).yaml",
            """
            pool: web
            backends: {static: [\(backends.map { "\"\($0)\"" }.joined(separator: ", "))]}
            scrape: {interval: 250ms, timeout: 200ms}
            evaluation_interval: 250ms
            signals: {util: backend_utilization}
            weights: {strategy: headroom, signal: util, target: 0.7}
            apply: {exec: {exec: ["./apply.sh", "\(name)"], timeout: 5s}}

            """
        )
        try directory.write("\(name).dsn", "postgres://postgres@127.0.0.1:\(relay.port)/postgres?sslmode=disable\n")
        return try directory.write(
            "\(name)-config.yaml",
            """
            policies: [\(policy)]
            store: {path: \(name).db}
            admin: {token_file: token}
            ha: {postgres: {dsn_file: \(name).dsn}, lease: \(lease / 1000)s, instance: \(name)}

            """
        )
    }

    /// Two backends (utilisation 0.3 and 0.6), the exec applier that logs who applied when, and
    /// the admin token.
    private static func stage(_ directory: TemporaryDirectory) async throws -> (MetricsBackend, MetricsBackend) {
        let first = try await MetricsBackend(directory, "a", utilization: 0.3)
        let second = try await MetricsBackend(directory, "b", utilization: 0.6)
        let script = try directory.write("apply.sh", "#!/bin/sh\ncat >/dev/null\necho \"$1 $(date +%s%3N)\" >> \"$(dirname \"$0\")/applied.log\"\n")
        _ = chmod(script, 0o755)
        try directory.write("token", "s3cret\n")
        return (first, second)
    }

    /// The applier's log: who applied, when (ms).
    private static func applies(_ directory: TemporaryDirectory) -> [(instance: String, time: Int64)] {
        let text = (try? String(contentsOfFile: directory.file("applied.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let time = Int64(parts[1]) else { return nil }
            return (String(parts[0]), time)
        }
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Polls `/api/v1/status` until the instance has `role` (and, when given, sees `holder` hold the lease).
    private static func wait(_ daemon: DaemonProcess, role: String, holder: String? = nil, seconds: Double = 20) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let (_, body) = try? await daemon.get("/api/v1/status"),
                let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let ha = (json["data"] as? [String: Any])?["ha"] as? [String: Any], ha["role"] as? String == role,
                holder == nil || ha["holder"] as? String == holder
            {
                return ha
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError(message: "the instance never became \(role):\n\(daemon.log.suffix(3000))")
    }

    @Test func oneAppliesTheFollowerTakesOverWithTheStateAndACutOffLeaderStopsFirst() async throws {
        let directory = try TemporaryDirectory()
        let postgres = try PostgresPeer()
        defer { postgres.stop() }
        let (first, second) = try await Self.stage(directory)
        let relays = [try await TCPRelay(to: postgres.port), try await TCPRelay(to: postgres.port)]
        defer {
            for relay in relays { relay.stop() }
        }
        let backends = [first.address, second.address]
        let configs = [
            try Self.configure("one", directory: directory, relay: relays[0], backends: backends),
            try Self.configure("two", directory: directory, relay: relays[1], backends: backends),
        ]
        // Weights move at every evaluation while the loads swap, so the leader applies all the time.
        let flipping = Task {
            var swapped = false
            while !Task.isCancelled {
                try? first.set(swapped ? 0.6 : 0.3)
                try? second.set(swapped ? 0.3 : 0.6)
                swapped.toggle()
                try? await Task.sleep(for: .milliseconds(400))
            }
        }
        defer { flipping.cancel() }

        var one = try await DaemonProcess(["--config", configs[0]], in: directory.path)
        _ = try await Self.wait(one, role: "leader")
        let two = try await DaemonProcess(["--config", configs[1]], in: directory.path)
        _ = try await Self.wait(two, role: "follower", holder: "one")

        // Exactly one applies.
        let steady = Self.now()
        try await Task.sleep(for: .seconds(3))
        let during = Self.applies(directory).filter { $0.time >= steady }
        #expect(during.count >= 3, "the leader applied \(during.count) routings in 3 s")
        #expect(during.allSatisfy { $0.instance == "one" }, "\(during)")

        // State only the leader has: an operator drain, sent to it alone.
        let drained = try await BallastProcess.run(
            ["drain", "web", first.address, "--server", "http://127.0.0.1:\(one.port)", "--token-file", directory.file("token")]
        )
        #expect(drained.status == 0, "\(drained.standardError)")
        let ownView = backendsByAddress(try await two.pool("web"))[first.address]?["state"] as? String
        #expect(ownView != "drained", "the follower was told nothing; its own engine has not drained \(first.address)")
        // A command sent to the follower would be lost at the next takeover: refused, naming the leader.
        let toFollower = try await BallastProcess.run(
            ["undrain", "web", first.address, "--server", "http://127.0.0.1:\(two.port)", "--token-file", directory.file("token")]
        )
        #expect(toFollower.status == 1 && toFollower.standardError.contains("send the command to the leader (one)"), "\(toFollower.standardError)")

        // kill -9 of the leader: the follower applies within the lease, from the shared state.
        one.stop()
        let killed = Self.now()
        let leader = try await Self.wait(two, role: "leader", seconds: Double(Self.lease) / 1000 + 5)
        #expect((leader["epoch"] as? Int ?? 0) >= 2)
        let taken = try await two.waitForPool("web", seconds: 10) { _ in Self.applies(directory).contains { $0.instance == "two" } }
        let firstByTwo = try #require(Self.applies(directory).first { $0.instance == "two" })
        #expect(firstByTwo.time - killed <= Int64(Self.lease) + 1_000, "took \(firstByTwo.time - killed) ms after kill -9")
        #expect(backendsByAddress(taken)[first.address]?["state"] as? String == "drained", "the drain did not carry over")
        // What the new leader applies is journaled under its epoch, the takeover first.
        let (_, journal) = try await two.get("/api/v1/decisions?pool=web&kind=takeover")
        let entries = (try JSONSerialization.jsonObject(with: Data(journal.utf8)) as? [String: Any])?["data"] as? [[String: Any]] ?? []
        let takeover = try #require(entries.first { $0["epoch"] as? Int == leader["epoch"] as? Int }, "no takeover under the epoch: \(journal)")
        let journaledAt = try #require(takeover["time"] as? Int)
        #expect(Int64(journaledAt) <= firstByTwo.time, "journaled at \(journaledAt), applied at \(firstByTwo.time)")

        // The old leader comes back as a follower; then the new leader is cut off from PostgreSQL.
        one = try await DaemonProcess(["--config", configs[0]], in: directory.path)
        _ = try await Self.wait(one, role: "follower")
        try await Task.sleep(for: .seconds(1))
        relays[1].freeze()
        let cut = Self.now()
        _ = try await Self.wait(one, role: "leader", seconds: Double(Self.lease) / 1000 + 5)
        try await Task.sleep(for: .seconds(2))
        let log = Self.applies(directory)
        let lastByTwo = try #require(log.last { $0.instance == "two" })
        let firstAfterCut = try #require(log.first { $0.instance == "one" && $0.time >= cut })
        #expect(lastByTwo.time < firstAfterCut.time, "both applied: two until \(lastByTwo.time), one from \(firstAfterCut.time)")
        #expect(lastByTwo.time - cut <= Int64(Self.lease) / 2 + 500, "the cut-off leader applied \(lastByTwo.time - cut) ms after the cut")
        #expect(firstAfterCut.time - cut <= Int64(Self.lease) + 2_000, "the takeover took \(firstAfterCut.time - cut) ms")
        #expect(log.filter { $0.time > lastByTwo.time }.allSatisfy { $0.instance == "one" })

        relays[1].thaw()
        _ = try await Self.wait(two, role: "follower")
        let (_, metrics) = try await one.get("/metrics")
        #expect(metrics.contains("ballast_ha_leader 1"))
        // A graceful shutdown gives the lease up: the other takes over at its next renewal, not a lease later.
        #expect(await one.terminate()?.status == 0)
        let released = ContinuousClock.now
        _ = try await Self.wait(two, role: "leader", seconds: 10)
        #expect(ContinuousClock.now - released < .milliseconds(Int64(Self.lease) / 2), "the lease was not released at shutdown")
        #expect(await two.terminate()?.status == 0)
    }

    @Test func aLeaderWhoseStateCannotBeSharedAppliesNothingAndSaysSoToTheOperator() async throws {
        let directory = try TemporaryDirectory()
        let postgres = try PostgresPeer()
        defer { postgres.stop() }
        let (first, second) = try await Self.stage(directory)
        let relay = try await TCPRelay(to: postgres.port)
        defer { relay.stop() }
        let config = try Self.configure("one", directory: directory, relay: relay, backends: [first.address, second.address])
        let one = try await DaemonProcess(["--config", config], in: directory.path)
        _ = try await Self.wait(one, role: "leader")
        _ = try await one.waitForPool("web", seconds: 30) { _ in !Self.applies(directory).isEmpty }

        // Every write of a shared state fails from now on.
        try postgres.execute(
            """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON ballast_engine_state FOR EACH ROW EXECUTE FUNCTION refuse();
            """
        )
        try await Task.sleep(for: .milliseconds(500))
        let refused = Self.now()
        let drained = try await BallastProcess.run(
            ["drain", "web", first.address, "--server", "http://127.0.0.1:\(one.port)", "--token-file", directory.file("token")]
        )
        #expect(drained.status == 1 && drained.standardError.contains("could not be shared with the HA pair"), "\(drained.standardError)")
        try await Task.sleep(for: .seconds(2))
        #expect(Self.applies(directory).filter { $0.time > refused }.isEmpty, "applied while its state could not be shared")

        // Once the state is shared again, the drain it kept is applied.
        try postgres.execute("DROP TRIGGER refuse ON ballast_engine_state")
        let applied = try await one.waitForPool("web", seconds: 30) { _ in Self.applies(directory).contains { $0.time > refused } }
        #expect(backendsByAddress(applied)[first.address]?["state"] as? String == "drained")
        #expect(await one.terminate()?.status == 0)
    }
}
