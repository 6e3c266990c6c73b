package import Control
package import Logging
import NIOCore
import PostgresNIO
package import Prometheus
import ServiceLifecycle
package import Store
import Synchronization

/// The HA pair's leader lease: one row in PostgreSQL (`ballast_lease`) with a holder, a fencing
/// epoch and an expiry computed by PostgreSQL's own clock, so the two Ballast hosts' clocks never
/// matter. The holder renews it every quarter of the lease; the other instance takes it once it
/// has expired, which bumps the epoch. A row rather than a session advisory lock, because an
/// advisory lock lives as long as the holder's session: when a leader is cut off, PostgreSQL
/// keeps the lock until it notices the dead connection (TCP keepalive, minutes), so takeover
/// would not be bounded by the lease, and the cut-off leader could not tell how long it may still
/// act. With a row, a leader knows exactly: it applies only until half a lease after it *sent*
/// its last successful renewal, and that renewal's expiry is a whole lease after PostgreSQL
/// *received* it, so a deposed leader has stopped at least half a lease before anyone else can
/// start, whatever happened to the network. PostgreSQL unreachable for both means nobody
/// applies: the proxies keep the last routing. Engine states are shared through
/// `ballast_engine_state`, written only under the epoch that still holds the lease.
package final class PostgresLease: HACoordinator, Service {
    /// How the lease is held.
    package struct Settings: Sendable {
        package var dsn: PostgresDSN
        /// How long a renewal holds the lease.
        package var lease: Duration
        /// This instance's name in the lease (unique within the pair).
        package var instance: String
        /// The lease's name: one HA pair per name in a database.
        package var name: String

        package init(dsn: PostgresDSN, lease: Duration, instance: String, name: String = "ballast") {
            self.dsn = dsn
            self.lease = lease
            self.instance = instance
            self.name = name
        }
    }

    private struct Held {
        /// The epoch this instance holds, if it does.
        var epoch: Int64?
        /// Until when (monotonic) it may apply under it.
        var until: ContinuousClock.Instant?
        var status: HAStatus
        /// Whether a direct connection is finding out why PostgreSQL does not answer.
        var probing = false
        /// What that connection reported, until the lease is reached again.
        var cause: String?
    }

    private let settings: Settings
    /// This process in the lease row: the instance name and a random token.
    private let holderID: String
    private let client: PostgresClient
    private let logger: Logger
    private let held: Mutex<Held>
    private let continuation: AsyncStream<Int64>.Continuation
    package let acquisitions: AsyncStream<Int64>
    private let leaderGauge: Gauge
    private let epochGauge: Gauge

    package init(settings: Settings, logger: Logger, registry: PrometheusCollectorRegistry) {
        var configuration = settings.dsn.client
        configuration.options.maximumConnections = 2
        configuration.options.connectTimeout = settings.lease / 4
        self.settings = settings
        // The lease names this process, not only the instance: two processes given the same
        // instance name (a copied configuration) must not both hold it, and a restarted instance
        // waits for its old lease to lapse like anyone else.
        holderID = "\(settings.instance)@\(UInt64.random(in: 0...UInt64.max))"
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
        held = Mutex(Held(status: HAStatus(role: .follower, instance: settings.instance, epoch: 0, holder: nil, lastError: nil)))
        (acquisitions, continuation) = AsyncStream.makeStream(of: Int64.self)
        leaderGauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "ha_leader",
                unitName: "",
                helpText: "1 while this instance holds the HA lease and applies, 0 while it follows."
            ),
            labels: []
        )
        epochGauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "ha_epoch",
                unitName: "",
                helpText: "The HA lease's fencing epoch as this instance last saw it."
            ),
            labels: []
        )
    }

    package func applyingEpoch() -> Int64? {
        held.withLock { held in
            guard let epoch = held.epoch, let until = held.until, ContinuousClock.now < until else { return nil }
            return epoch
        }
    }

    package func status() -> HAStatus {
        held.withLock { held in
            var status = held.status
            if status.role == .leader, held.until.map({ ContinuousClock.now >= $0 }) ?? true {
                // Its lease lapsed unrenewed: who holds it now is not known (never itself).
                status.role = .follower
                status.holder = nil
            }
            if let error = status.lastError, let cause = held.cause { status.lastError = "\(error); connecting directly: \(cause)" }
            return status
        }
    }

    /// Renews or takes the lease every quarter of it until shutdown, then gives it up so the other
    /// instance takes over at once instead of after the lease.
    package func run() async throws {
        // Detached: PostgresClient ends its own run at graceful shutdown, and the lease must be
        // released through it after the control loop has stopped applying.
        let client = self.client
        let connections = Task.detached { await client.run() }
        await cancelWhenGracefulShutdown { await self.hold() }
        await release()
        connections.cancel()
        await connections.value
        continuation.finish()
    }

    private func hold() async {
        var prepared = false
        while !Task.isCancelled {
            let round = ContinuousClock.now
            var next = round + settings.lease / 4
            do {
                if !prepared {
                    try await bounded { try await self.prepare() }
                    prepared = true
                }
                let sent = ContinuousClock.now
                let epoch = try await bounded { try await self.acquire() }
                if let epoch {
                    held(epoch, since: sent)
                } else {
                    let (holder, current, expiresIn) = try await bounded { try await self.holder() }
                    follow(holder: holder, epoch: current)
                    // Try again right when the other's lease runs out rather than up to a quarter
                    // of a lease later: takeover within the lease, not a quarter past it.
                    if expiresIn > .zero && expiresIn < settings.lease / 4 { next = .now + expiresIn + .milliseconds(5) }
                }
            } catch {
                // Tables someone dropped are created again next time.
                if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "42P01" { prepared = false }
                let reason = Self.describe(error)
                held.withLock { $0.status.lastError = reason }
                logger.warning("cannot reach the HA lease in PostgreSQL", metadata: ["error": "\(reason)"])
                // A server error names its cause; a timeout or a pool that stopped trying does not.
                if (error as? PSQLError)?.serverInfo == nil { probe() }
            }
            let status = status()
            leaderGauge.set(to: status.role == .leader ? 1 : 0)
            epochGauge.set(to: Double(status.epoch))
            try? await Task.sleep(until: next)
        }
        leaderGauge.set(to: 0)
    }

    private func held(_ epoch: Int64, since sent: ContinuousClock.Instant) {
        let acquired = held.withLock { held in
            let acquired = held.epoch != epoch
            held.epoch = epoch
            held.until = sent + settings.lease / 2
            held.status = HAStatus(role: .leader, instance: settings.instance, epoch: epoch, holder: settings.instance, lastError: nil)
            held.cause = nil
            return acquired
        }
        if acquired {
            logger.notice("holding the HA lease: this instance applies", metadata: ["epoch": "\(epoch)"])
            continuation.yield(epoch)
        }
    }

    private func follow(holder: String?, epoch: Int64) {
        let deposed = held.withLock { held in
            let deposed = held.epoch != nil
            held.epoch = nil
            held.until = nil
            held.status = HAStatus(role: .follower, instance: settings.instance, epoch: epoch, holder: holder, lastError: nil)
            held.cause = nil
            return deposed
        }
        if deposed { logger.warning("lost the HA lease: this instance stops applying", metadata: ["holder": "\(holder ?? "none")"]) }
    }

    /// Finds out, through one direct connection, why PostgreSQL did not answer, and keeps that
    /// beside the error in the status until the lease is reached again: the pooled client only
    /// waits for a connection it keeps retrying (and after a minute fails at once), so a wrong
    /// password, a missing database or a refused TLS would all read alike.
    private func probe() {
        let idle = held.withLock { held in
            defer { held.probing = true }
            return !held.probing
        }
        guard idle else { return }
        var configuration = settings.dsn.connection
        configuration.options.connectTimeout = .nanoseconds(Int64(settings.lease / .nanoseconds(1)) / 4)
        let logger = logger
        Task.detached {
            var cause: String?
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
            } catch {
                cause = Self.describe(error)
            }
            let changed = self.held.withLock { held in
                held.probing = false
                guard held.status.lastError != nil, held.cause != cause else { return false }
                held.cause = cause
                return true
            }
            if changed, let cause { logger.warning("why PostgreSQL does not answer", metadata: ["error": "\(cause)"]) }
        }
    }

    /// One lease operation, bounded by a quarter of the lease: a PostgreSQL that hangs must not
    /// hold the renewal loop past the point where the lease could lapse.
    private func bounded<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = settings.lease / 4
        let outcome = await Bounded.value(within: limit) {
            do {
                return Result<T, any Error>.success(try await operation())
            } catch {
                return .failure(error)
            }
        }
        guard let outcome else { throw LeaseTimeout(limit: limit) }
        return try outcome.get()
    }

    private func prepare() async throws {
        try await client.query(
            """
            CREATE TABLE IF NOT EXISTS ballast_lease (
                name text PRIMARY KEY, holder text NOT NULL, epoch bigint NOT NULL, expires_at timestamptz NOT NULL)
            """,
            logger: logger
        )
        try await client.query(
            """
            CREATE TABLE IF NOT EXISTS ballast_engine_state (
                pool text PRIMARY KEY, epoch bigint NOT NULL, version integer NOT NULL, t bigint NOT NULL, data bytea NOT NULL)
            """,
            logger: logger
        )
        try await client.query("CREATE SEQUENCE IF NOT EXISTS ballast_lease_epoch", logger: logger)
    }

    /// Renews the lease this instance holds, or takes an expired one (a new epoch); nil when the
    /// other instance holds it. A row made anew (at the first start, or after someone deleted
    /// it) is held by nobody for one whole lease, so an instance that held a deleted row has
    /// stopped applying before anyone takes it. Epochs come from a sequence and from the shared
    /// states, so they never go back, whatever happened to the row.
    private func acquire() async throws -> Int64? {
        let (name, instance) = (settings.name, holderID)
        let milliseconds = Int64(settings.lease / .milliseconds(1))
        let rows = try await client.query(
            """
            WITH made AS (
                INSERT INTO ballast_lease (name, holder, epoch, expires_at)
                VALUES (\(name), '', nextval('ballast_lease_epoch'), now() + \(milliseconds) * interval '1 millisecond')
                ON CONFLICT (name) DO NOTHING)
            UPDATE ballast_lease AS l SET
                epoch = CASE WHEN l.holder = \(instance) AND l.expires_at > now() THEN l.epoch
                    ELSE greatest(l.epoch + 1, nextval('ballast_lease_epoch'), (SELECT coalesce(max(epoch), 0) + 1 FROM ballast_engine_state))
                    END,
                holder = \(instance),
                expires_at = now() + \(milliseconds) * interval '1 millisecond'
            WHERE l.name = \(name) AND ((l.holder = \(instance) AND l.expires_at > now()) OR l.expires_at <= now())
            RETURNING l.epoch
            """,
            logger: logger
        )
        for try await epoch in rows.decode(Int64.self) { return epoch }
        return nil
    }

    /// Who holds the lease now, and its epoch.
    private func holder() async throws -> (holder: String?, epoch: Int64, expiresIn: Duration) {
        let rows = try await client.query(
            """
            SELECT holder, epoch, greatest(0, extract(epoch FROM expires_at - now()) * 1000)::bigint
            FROM ballast_lease WHERE name = \(settings.name)
            """,
            logger: logger
        )
        for try await (holder, epoch, left) in rows.decode((String, Int64, Int64).self) {
            // A row made anew is held by nobody ('') until it expires.
            return (left > 0 && !holder.isEmpty ? Self.instance(of: holder) : nil, epoch, .milliseconds(left))
        }
        return (nil, 0, .zero)
    }

    /// Gives the lease up at shutdown, if this instance still holds it.
    private func release() async {
        guard let epoch = held.withLock({ held in held.epoch }) else { return }
        held.withLock { held in
            held.epoch = nil
            held.until = nil
        }
        do {
            _ = try await bounded {
                try await self.client.query(
                    """
                    UPDATE ballast_lease SET expires_at = now()
                    WHERE name = \(self.settings.name) AND holder = \(self.holderID) AND epoch = \(epoch)
                    """,
                    logger: self.logger
                )
            }
            logger.notice("released the HA lease", metadata: ["epoch": "\(epoch)"])
        } catch {
            logger.warning(
                "could not release the HA lease; the other instance takes over when it expires",
                metadata: ["error": "\(Self.describe(error))"]
            )
        }
    }

    package func share(_ state: StoredEngineState, epoch: Int64) async -> Bool {
        let (name, instance) = (settings.name, holderID)
        let (pool, version, time, data) = (state.pool, state.version, state.timestamp, ByteBuffer(bytes: state.data))
        do {
            return try await bounded {
                let rows = try await self.client.query(
                    """
                    INSERT INTO ballast_engine_state AS s (pool, epoch, version, t, data)
                    SELECT \(pool), \(epoch), \(version), \(time), \(data)
                    WHERE EXISTS (
                        SELECT 1 FROM ballast_lease
                        WHERE name = \(name) AND holder = \(instance) AND epoch = \(epoch) AND expires_at > now())
                    ON CONFLICT (pool) DO UPDATE SET epoch = EXCLUDED.epoch, version = EXCLUDED.version, t = EXCLUDED.t, data = EXCLUDED.data
                    WHERE s.epoch <= EXCLUDED.epoch
                    RETURNING pool
                    """,
                    logger: self.logger
                )
                for try await _ in rows.decode(String.self) { return true }
                return false
            }
        } catch {
            logger.warning("could not share an engine state", metadata: ["pool": "\(state.pool)", "error": "\(Self.describe(error))"])
            return false
        }
    }

    package func sharedStates() async throws -> [StoredEngineState] {
        try await bounded {
            let rows = try await self.client.query("SELECT pool, version, t, data FROM ballast_engine_state ORDER BY pool", logger: self.logger)
            var states: [StoredEngineState] = []
            for try await (pool, version, time, data) in rows.decode((String, Int, Int64, ByteBuffer).self) {
                states.append(StoredEngineState(pool: pool, version: version, timestamp: time, data: Array(data.readableBytesView)))
            }
            return states
        }
    }

    /// The instance name in a holder (`NAME@TOKEN`).
    private static func instance(of holder: String) -> String {
        guard let at = holder.lastIndex(of: "@") else { return holder }
        return String(holder[..<at])
    }

    /// An error in words an operator can act on, without the DSN (PostgresNIO's own description
    /// withholds everything; its reflection names the server's message and the failed step).
    private static func describe(_ error: any Error) -> String {
        if let timeout = error as? LeaseTimeout { return timeout.description }
        return String(String(reflecting: error).prefix(400))
    }
}

/// A lease operation that took longer than a quarter of the lease.
struct LeaseTimeout: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "PostgreSQL did not answer within \(limit) (a quarter of the lease)" }
}
