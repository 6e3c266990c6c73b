import ArgumentParser
import Foundation
import HTTPAPI
import Logging
import ServiceLifecycle
import SimBackend
import UnixSignals

/// `ballast sim-backend`: a backend with an honest capacity limit and the metrics real services
/// expose, for the demo, the tests and the end-to-end benchmarks. Its behaviour changes live
/// through `POST /admin/config`.
struct SimBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-backend",
        abstract: "Run a simulated backend with a real capacity limit and Prometheus metrics.",
        discussion: """
            Serves capacity × latency requests at once, each for a log-normal service time with \
            the given mean (p99 ≈ 2.6× the median); more wait in a queue, beyond --max-queue they \
            get 503. Every path is a request except /metrics and /admin/config: GET it for the \
            behaviour, POST JSON such as {"latency_ms": 200} or {"fail_rate": 0.5} to change it \
            live (a new latency keeps the workers, so capacity falls as it does in a real server). \
            Prints "listening on HOST:PORT" once bound (port 0 picks a free one).
            """
    )

    @Option(help: "Where to listen, host:port.")
    var listen: String

    @Option(help: "Requests per second served when saturated.")
    var capacity: Double = 100

    @Option(name: .customLong("latency-ms"), help: "The mean service time in milliseconds.")
    var latencyMs: Double = 20

    @Option(help: "The share of requests answered 500, 0 to 1.")
    var failRate: Double = 0

    @Option(help: "Requests waiting beyond this many get 503 at once.")
    var maxQueue: Int = 1000

    func validate() throws {
        guard RunCommand.hostAndPort(listen) != nil else { throw ValidationError("--listen \(listen): expected host:port, such as 127.0.0.1:9001") }
        guard maxQueue >= 0 else { throw ValidationError("--max-queue must be 0 or more") }
        do {
            _ = try SimBackendConfig(capacity: capacity, latencyMs: latencyMs, failRate: failRate)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        guard let (host, port) = RunCommand.hostAndPort(listen) else { throw ExitCode(2) }
        var logger = Logger(label: "ballast.sim-backend")
        logger.logLevel = .warning
        let backend = SimBackend(config: try SimBackendConfig(capacity: capacity, latencyMs: latencyMs, failRate: failRate, maxQueue: maxQueue))
        let server = SimBackendServer.application(host: host, port: port, backend: backend, logger: logger) { bound in
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.writeQuietly(Data("listening on \(shown):\(bound)\n".utf8))
        }
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // A queue of slow requests could hold a graceful shutdown for hours: give it 2 s, then
        // cancel the requests in service (their sleeps end) and exit.
        configuration.maximumGracefulShutdownDuration = .seconds(2)
        configuration.maximumCancellationDuration = .seconds(2)
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            FileHandle.standardError.writeQuietly(Data("sim-backend: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
