import Apply
import ArgumentParser
import Collector
import Control
import Coordination
import Daemon
import Foundation
import HTTPAPI
import HTTPFetch
import InputFiles
import Logging
import Policy
import PolicyLoading
import Prometheus
import Query
import ServiceLifecycle
import Store
import Synchronization
import UnixSignals

/// `ballast run`: the daemon. Scrapes every pool's backends, keeps the history, serves
/// Prometheus' API and Ballast's `/metrics`, and reloads policies on SIGHUP or when a file
/// changes. Everything long-running is a `Service` in one `ServiceGroup`, so SIGTERM stops the
/// HTTP server first, then the policy watcher and the scrapes (those in flight are stored), then
/// maintenance, and closes the store last.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: scrape, store, serve the API, reload policies on SIGHUP.",
        discussion: """
            Flags override the configuration file's keys. The API listens on 127.0.0.1:9464 unless \
            told otherwise. SIGTERM or SIGINT: finish the work in flight, flush the store, exit 0. \
            SIGHUP (or a changed policy file): reload policies, keeping the previous version of a \
            policy that fails to load.
            """
    )

    @Option(help: "A YAML configuration file (listen, store, policies, admin, log).")
    var config: String?

    @Option(help: "A policy file or a directory of them (repeatable); replaces the configuration's list.")
    var policy: [String] = []

    @Option(help: "The store's database file (default ballast.db).")
    var db: String?

    @Option(help: "Where the HTTP API listens, host:port (default 127.0.0.1:9464).")
    var listen: String?

    @Flag(help: "Decide and log, but apply nothing to any proxy.")
    var dryRun = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Option(help: "text or json (default text).")
    var logFormat: String?

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        DaemonMalloc.configure()
        // Trap SIGHUP before anything else can receive one: its default action ends the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let settings = try resolvedConfiguration()
        guard let level = Logger.Level(rawValue: settings.logLevel), let format = BallastLogHandler.Format(rawValue: settings.logFormat) else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical; --log-format text or json")
        }
        guard let (host, port) = Self.hostAndPort(settings.listen) else {
            throw ValidationError("--listen \(settings.listen): expected host:port, such as 127.0.0.1:9464")
        }
        LoggingSystem.bootstrap { label in BallastLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "ballast")
        let registry = PrometheusCollectorRegistry()
        let descriptors = DescriptorLimit.budget(limit: Self.raiseDescriptorLimit(logger: logger))

        // Policies are checked before the store is opened: a daemon that cannot start leaves
        // no new database behind.
        let loader = PolicyLoader(validateExpression: PromQLValidation.problem, sharedSignalsFrom: settings.signalsFrom != nil)
        let (_, startProblems) = PolicySet.load(settings.policies, loader: loader)
        guard startProblems.isEmpty else {
            FileHandle.standardError.writeQuietly(Data(startProblems.map { $0 + "\n" }.joined().utf8))
            throw ExitCode(1)
        }
        let store: LiveStore
        do {
            store = try LiveStore(path: settings.storePath)
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(settings.storePath): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let fetcher = HTTPFetcher(connectionLimit: descriptors.scrapeConnections)
        let collector = Collector(
            scraper: Scraper(fetcher: fetcher, userAgent: "Ballast/\(BallastVersion.current)"),
            writer: store.writer,
            logger: logger,
            metrics: CollectorMetrics(registry: registry)
        )
        let lease: PostgresLease?
        do {
            lease = try settings.ha.map { ha in
                PostgresLease(settings: try Self.leaseSettings(ha, listenPort: port), logger: logger, registry: registry)
            }
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            await collector.stop()
            fetcher.shutdown()
            try? await store.writer.close()
            throw ExitCode(1)
        }
        let scaled = ScaledMembership()
        let queryCancellation = QueryCancellation()
        let control = ControlLoop(
            store: store,
            signals: SignalRouter(
                local: LocalSignalSource(
                    store: store,
                    executor: QueryExecutor(name: "ballast-signals", threads: 1),
                    cancellation: queryCancellation
                ),
                shared: settings.signalsFrom,
                fetcher: fetcher,
                userAgent: "Ballast/\(BallastVersion.current)"
            ),
            collector: collector,
            registry: registry,
            logger: logger,
            dryRun: dryRun,
            applier: { compiled in
                Appliers.make(for: compiled.policy, policyPath: compiled.path, dryRun: dryRun, logger: logger, clock: { WallClock.now() })
            },
            membershipChanged: { pool, members in scaled.set(pool, members) },
            ha: lease
        )
        do {
            try await control.restoreStates()
        } catch {
            logger.error("could not read the saved engine states; pools start afresh", metadata: ["error": "\(error)"])
        }
        let watcher = PolicyWatcher(
            sources: settings.policies,
            loader: loader,
            collector: collector,
            registry: registry,
            logger: logger,
            hangups: hangups,
            scaled: scaled,
            onChange: { set in await control.setPolicies(Self.compile(set, logger: logger)) }
        )
        let problems = await watcher.start()
        guard problems.isEmpty else {
            FileHandle.standardError.writeQuietly(Data(problems.map { $0 + "\n" }.joined().utf8))
            await collector.stop()
            fetcher.shutdown()
            try? await store.writer.close()
            throw ExitCode(1)
        }
        if dryRun { logger.notice("dry run: decisions are journaled and logged, nothing is applied") }

        let ready = Mutex(false)
        let queries = QueryExecutor(name: "ballast-queries", threads: 2)
        let sources = APISources(
            store: store,
            collector: collector,
            control: control,
            queries: queries,
            adminTokenFile: settings.adminTokenFile,
            metricsText: { await DaemonMetrics.render(registry: registry, store: store, executor: queries, version: BallastVersion.current) },
            isReady: { ready.withLock { $0 } },
            version: BallastVersion.current,
            queryCancellation: queryCancellation
        )
        let server = APIServer.application(
            host: host,
            port: port,
            sources: sources,
            registry: registry,
            logger: logger,
            maximumConnections: descriptors.apiConnections
        ) { bound in
            ready.withLock { $0 = true }
            logger.info("listening", metadata: ["address": "\(host):\(bound)"])
        }
        let shutdown = ShutdownClock()
        var group = ServiceGroupConfiguration(
            services: [
                ServiceGroupConfiguration.ServiceConfiguration(
                    service: StoreCloser(writer: store.writer, logger: logger, shutdown: shutdown, budget: Self.shutdownLimit - .seconds(1))
                ),
                ServiceGroupConfiguration.ServiceConfiguration(
                    service: StoreMaintenance(
                        store: store,
                        retention: settings.retention.milliseconds,
                        retentionSize: settings.retentionSize,
                        registry: registry,
                        logger: logger
                    )
                ),
                ServiceGroupConfiguration.ServiceConfiguration(
                    service: CollectorService(collector: collector, fetcher: fetcher, shutdown: shutdown, storeBudget: Self.shutdownLimit / 2)
                ),
            ] + (lease.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []) + [
                // After the lease in this list, so it stops first: nothing is applied once the
                // lease is released at shutdown.
                ServiceGroupConfiguration.ServiceConfiguration(service: control),
                ServiceGroupConfiguration.ServiceConfiguration(service: watcher),
                ServiceGroupConfiguration.ServiceConfiguration(service: server),
                // Shut down first: queries in flight stop, so HTTP and the store close in time.
                ServiceGroupConfiguration.ServiceConfiguration(service: ShutdownStart(clock: shutdown, cancellation: queryCancellation)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = Self.shutdownLimit
        // Everything before this line ran once; the services are what runs from now on.
        StartupCode.release()
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            logger.critical("the daemon stopped on an error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }

    /// How long a graceful shutdown may take before the group cancels what still runs. Scrapes
    /// in flight are stored for the first half, the store's close stops writing a second before
    /// the end. The contract: exit within 10 s of SIGTERM.
    private static let shutdownLimit = Duration.seconds(8)

    /// The lease settings of `ha`: the DSN read from its file (its content is never printed).
    private static func leaseSettings(_ ha: HASettings, listenPort: Int) throws -> PostgresLease.Settings {
        let text: String
        do {
            text = try InputFile.text(ha.dsnFile)
        } catch {
            throw ValidationError("ha.postgres.dsn_file \(error)")
        }
        let host = ProcessInfo.processInfo.hostName
        return PostgresLease.Settings(
            dsn: try PostgresDSN(text, path: ha.dsnFile),
            lease: .milliseconds(ha.lease.milliseconds),
            instance: ha.instance ?? "\(host):\(listenPort)"
        )
    }

    /// The configuration file's settings (relative paths resolved against its directory), with
    /// the flags applied over them.
    private func resolvedConfiguration() throws -> DaemonConfiguration {
        var settings = DaemonConfiguration()
        if let config {
            let text: String
            do {
                text = try InputFile.text(config)
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            do {
                settings = try DaemonConfigurationLoader().load(yaml: text, path: config)
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            let directory = URL(fileURLWithPath: config).deletingLastPathComponent()
            func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path }
            settings.policies = settings.policies.map(resolve)
            settings.storePath = resolve(settings.storePath)
            settings.adminTokenFile = settings.adminTokenFile.map(resolve)
            settings.signalsFrom = settings.signalsFrom?.resolvingPaths(with: resolve)
            if let dsnFile = settings.ha?.dsnFile { settings.ha?.dsnFile = resolve(dsnFile) }
        }
        if !policy.isEmpty { settings.policies = policy }
        if let db { settings.storePath = db }
        if let listen { settings.listen = listen }
        if let logLevel { settings.logLevel = logLevel }
        if let logFormat { settings.logFormat = logFormat }
        guard !settings.policies.isEmpty else {
            throw ValidationError("No policies: give --policy FILE|DIR or list them under policies: in --config.")
        }
        return settings
    }

    /// The policies ready for the control loop (their signals parsed once).
    private static func compile(_ set: PolicySet, logger: Logger) -> [CompiledPolicy] {
        set.policies.compactMap { loaded in
            do {
                return try CompiledPolicy(policy: loaded.policy, path: loaded.path)
            } catch {
                logger.error(
                    "a policy's signal does not parse; the pool is not evaluated",
                    metadata: ["policy": "\(loaded.path)", "error": "\(error)"]
                )
                return nil
            }
        }
    }

    /// `127.0.0.1:9464`, `[::1]:9464` or `localhost:9464` split for binding; port 0 asks the
    /// kernel for a free one.
    /// Raises the open-file limit to its hard limit (running out aborts the process, see
    /// `DescriptorLimit`) and returns the limit in force.
    static func raiseDescriptorLimit(logger: Logger) -> UInt64 {
        guard let change = DescriptorLimit.raiseToHardLimit() else { return 1_024 }
        if change.after != change.before {
            logger.info("raised the open-file limit", metadata: ["from": "\(change.before)", "to": "\(change.after)"])
        }
        if change.after < 4_096 {
            logger.warning(
                "the open-file limit is low: scrapes and API connections beyond it fail; raise it (ulimit -n, LimitNOFILE=)",
                metadata: ["limit": "\(change.after)"]
            )
        }
        return change.after
    }

    static func hostAndPort(_ text: String) -> (String, Int)? {
        if text.hasSuffix(":0"), let (host, _) = hostAndPort(String(text.dropLast()) + "1") { return (host, 0) }
        guard let address = try? BackendAddress(parsing: text) else { return nil }
        let host = address.hostText.hasPrefix("[") ? String(address.hostText.dropFirst().dropLast()) : address.hostText
        return (host, Int(address.port))
    }
}

/// Notes when the daemon starts shutting down (the store's close keeps to the time left) and
/// cancels the API's queries, so a long query cannot hold the HTTP server's shutdown, or the
/// store's close, past the 10 s the contract allows.
private struct ShutdownStart: Service {
    let clock: ShutdownClock
    let cancellation: QueryCancellation

    func run() async throws {
        try? await gracefulShutdown()
        clock.begin()
        cancellation.cancel()
    }
}
