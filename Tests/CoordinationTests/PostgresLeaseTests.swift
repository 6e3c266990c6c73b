import Control
import Coordination
import Foundation
import Logging
import PostgresNIO
import Prometheus
import Store
import TestSupport
import Testing

/// One PostgreSQL cluster around the whole suite (an `initdb` costs seconds of CPU the other
/// tests running beside it need); each test works in a database of its own.
private struct OneCluster: SuiteTrait, TestScoping {
    @TaskLocal static var peer: PostgresPeer?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let peer = try PostgresPeer()
        defer { peer.stop() }
        try await Self.$peer.withValue(peer, operation: function)
    }
}

/// The lease against a real PostgreSQL 15 when someone tampers with its tables or the DSN is
/// wrong: the epoch never goes back, dropped tables come back, and the status says why
/// PostgreSQL does not answer.
@Suite(.serialized, .enabled(if: PostgresPeer.isInstalled, "PostgreSQL 15 is not installed (apt-get install postgresql)"), OneCluster())
struct PostgresLeaseTests {
    /// Renewed every 2 s, each operation given 2 s: long enough that a lease operation finishes
    /// in time while the whole suite runs on these 2 cores in this one process.
    private static let leaseTime = Duration.seconds(8)

    /// A lease on `dsn`, run until the test ends.
    private static func holding(_ dsn: String, _ body: (PostgresLease) async throws -> Void) async throws {
        let lease = PostgresLease(
            settings: .init(dsn: try PostgresDSN(dsn, path: "dsn"), lease: leaseTime, instance: "solo"),
            logger: Logger(label: "lease-test"),
            registry: PrometheusCollectorRegistry()
        )
        let running = Task { try await lease.run() }
        let outcome: Result<Void, any Error>
        do {
            try await body(lease)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // The lease (and a probe it started) must not outlive the test's cluster.
        running.cancel()
        _ = await running.result
        try outcome.get()
    }

    /// Waits until `condition` holds, up to `seconds`.
    private static func eventually(_ seconds: Int = 60, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// A new database on the suite's cluster, and its DSN.
    private static func freshDatabase() async throws -> (peer: PostgresPeer, database: String, dsn: String) {
        let peer = try #require(OneCluster.peer)
        let database = "lease_\(UInt32.random(in: 0...UInt32.max))"
        try await execute(peer, "postgres", [PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)")])
        return (peer, database, "postgres://postgres@127.0.0.1:\(peer.port)/\(database)?sslmode=disable")
    }

    /// Runs statements in `database` through a connection of their own.
    private static func execute(_ postgres: PostgresPeer, _ database: String, _ statements: [PostgresQuery]) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: postgres.port, username: "postgres", password: nil, database: database, tls: .disable),
            id: 1,
            logger: Logger(label: "lease-test-sql")
        )
        // Closed whatever happens: PostgresNIO traps on a connection released open.
        do {
            for statement in statements { try await connection.query(statement, logger: Logger(label: "lease-test-sql")) }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func state(_ pool: String, at time: Int64) -> StoredEngineState {
        StoredEngineState(pool: pool, version: 1, timestamp: time, data: Array("{}".utf8))
    }

    @Test func aRowMadeAnewIsHeldByNobodyForALeaseAndTheEpochNeverGoesBack() async throws {
        let (postgres, database, dsn) = try await Self.freshDatabase()
        let started = ContinuousClock.now
        try await Self.holding(dsn) { lease in
            // The first start makes the row: nobody holds it for one lease.
            try #require(try await Self.eventually { lease.applyingEpoch() != nil }, "\(lease.status())")
            #expect(ContinuousClock.now - started >= Self.leaseTime, "led \(ContinuousClock.now - started) after the row was made")
            let held = try #require(lease.applyingEpoch())
            // A state shared long ago under a later epoch (the pair has changed hands often),
            // then the row deleted by hand while this instance leads.
            try await Self.execute(postgres, database, ["INSERT INTO ballast_engine_state VALUES ('api', \(held + 6), 1, 0, '\\x7b7d')"])
            let deleted = ContinuousClock.now
            try await Self.execute(postgres, database, ["DELETE FROM ballast_lease"])
            #expect(try await Self.eventually { lease.applyingEpoch() == nil && lease.status().holder == nil }, "\(lease.status())")
            #expect(try await Self.eventually { lease.applyingEpoch() != nil }, "\(lease.status())")
            #expect(ContinuousClock.now - deleted >= Self.leaseTime, "led again \(ContinuousClock.now - deleted) after the row was deleted")
            let epoch = try #require(lease.applyingEpoch())
            #expect(epoch > held + 6, "epoch \(epoch) after \(held), with a state shared under \(held + 6)")
            #expect(await lease.share(Self.state("api", at: 1), epoch: epoch), "a state under the new epoch is shared")
            #expect(try await lease.sharedStates().map(\.timestamp) == [1])
        }
    }

    @Test func tablesDroppedWhileHoldingAreCreatedAgainUnderALaterEpoch() async throws {
        let (postgres, database, dsn) = try await Self.freshDatabase()
        try await Self.holding(dsn) { lease in
            try #require(try await Self.eventually { lease.applyingEpoch() != nil }, "\(lease.status())")
            let held = try #require(lease.applyingEpoch())
            try await Self.execute(postgres, database, ["DROP TABLE ballast_lease", "DROP TABLE ballast_engine_state"])
            #expect(
                try await Self.eventually { lease.status().lastError?.contains("ballast_lease") == true },
                "the renewal failed on the missing table"
            )
            #expect(try await Self.eventually { lease.status().lastError == nil && lease.applyingEpoch() != nil })
            let epoch = try #require(lease.applyingEpoch())
            #expect(epoch > held)
            #expect(await lease.share(Self.state("web", at: 5), epoch: epoch))
            #expect(try await lease.sharedStates().map(\.pool) == ["web"])
        }
    }

    @Test func aLeaderCutOffFromPostgreSQLStopsWithinHalfALeaseAndNamesNoHolder() async throws {
        let (postgres, database, _) = try await Self.freshDatabase()
        let relay = try await TCPRelay(to: postgres.port)
        defer { relay.stop() }
        try await Self.holding("postgres://postgres@127.0.0.1:\(relay.port)/\(database)?sslmode=disable") { lease in
            try #require(try await Self.eventually { lease.applyingEpoch() != nil }, "\(lease.status())")
            relay.freeze()
            let cut = ContinuousClock.now
            #expect(try await Self.eventually { lease.applyingEpoch() == nil })
            #expect(ContinuousClock.now - cut <= Self.leaseTime / 2 + .milliseconds(500), "applied \(ContinuousClock.now - cut) after the cut")
            let status = lease.status()
            #expect(status.role == .follower && status.holder == nil, "\(status)")
            relay.thaw()
        }
    }

    @Test func theStatusSaysWhyPostgreSQLDoesNotAnswer() async throws {
        let postgres = try #require(OneCluster.peer)
        try await Self.holding("postgres://postgres@127.0.0.1:\(postgres.port)/no_such_db?sslmode=disable") { lease in
            let named = try await Self.eventually { lease.status().lastError?.contains("no_such_db") == true }
            #expect(named, "\(lease.status().lastError ?? "no error")")
            #expect(lease.applyingEpoch() == nil)
        }
    }
}
