import ArgumentParser
import Control
import Foundation
import HTTPFetch
import InputFiles
import Policy
import Query
import RemoteQuery
import Replay
import Store

/// Where `replay` and `tune` read the pool's offered load: a CSV trace, Ballast's own store, or a
/// Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics) holding the
/// history; the last two evaluate the policy's `replay.load` over [`--from`, `--to`] once per
/// evaluation interval, in pages of 11,000 points.
struct LoadSourceOptions: ParsableArguments {
    @Option(help: "A CSV load trace: timestamp,value.")
    var trace: String?

    @Option(help: "A Ballast store to read the load from (with --from and --to).")
    var db: String?

    @Option(
        help: """
            A Prometheus-compatible server's base URL to read the load from (with --from and --to); \
            the policy's signals_from gives the credentials, TLS and timeout.
            """
    )
    var prometheus: String?

    @Option(help: "Start of the replayed history (RFC 3339 or unix seconds), with --db or --prometheus.")
    var from: String?

    @Option(help: "End of the replayed history, with --db or --prometheus.")
    var to: String?

    func validate() throws {
        guard [trace, db, prometheus].compactMap({ $0 }).count == 1 else {
            throw ValidationError("Give one of --trace CSV, --db DB --from T --to T, or --prometheus URL --from T --to T.")
        }
        if trace == nil && (from == nil || to == nil) { throw ValidationError("--\(db == nil ? "prometheus" : "db") needs --from and --to.") }
        if let from, let to {
            guard let start = APITime.parseTime(from), let end = APITime.parseTime(to), end > start else {
                throw ValidationError("--from and --to must be times (RFC 3339 or unix seconds), --from before --to.")
            }
        }
        if let prometheus,
            !(prometheus.hasPrefix("http://") || prometheus.hasPrefix("https://")) || prometheus.contains("?") || prometheus.contains("#")
                || prometheus.drop(while: { $0 != "/" }).dropFirst(2).prefix(while: { $0 != "/" }).contains("@")
        {
            throw ValidationError(
                "--prometheus takes the server's base URL, such as http://127.0.0.1:9090, without credentials (the policy's signals_from has them), query or fragment."
            )
        }
    }

    /// The load for `policy` (read from `policyPath`, against which the paths in its
    /// `signals_from` are resolved).
    func load(_ policy: PoolPolicy, policyPath: String) async throws -> LoadTrace {
        if let trace { return try Self.readTrace(trace) }
        guard let from, let to, let start = APITime.parseTime(from), let end = APITime.parseTime(to), end > start else {
            throw ValidationError("--from and --to must be times (RFC 3339 or unix seconds), --from before --to.")
        }
        guard let query = policy.replay?.load else {
            throw FileDiagnostic(
                path: policyPath,
                line: 1,
                column: 1,
                message: "replay --\(db == nil ? "prometheus" : "db") needs replay.load, the PromQL of the pool's offered load"
            )
        }
        let step = policy.evaluationInterval.milliseconds
        if let db {
            return try LoadTrace.fromStore(
                QueryEngine(reader: try Store(path: db, readOnly: true)),
                query: query,
                from: start,
                to: end,
                stepMilliseconds: step
            )
        }
        var settings = (policy.signalsFrom ?? SignalsFrom(url: "")).resolvingPaths(besidePolicy: policyPath)
        settings.url = prometheus ?? settings.url
        // A page of 11,000 points may take the server a while; the policy's timeout is for one
        // signal query, so history gets at least a minute.
        var endpoint = PrometheusEndpoint(settings)
        endpoint.timeoutMilliseconds = max(endpoint.timeoutMilliseconds, 60_000)
        let fetcher = HTTPFetcher(connectionLimit: 4)
        defer { fetcher.shutdown() }
        let client = PrometheusClient(endpoint: endpoint, fetcher: fetcher, userAgent: "Ballast/\(BallastVersion.current)")
        let pages: [MatrixSeries]
        do {
            pages = try await client.range(query, start: start, end: end, step: step)
        } catch {
            throw RemoteLoadError(message: "\(error)")
        }
        return try LoadTrace.fromHistory(pages, query: query, within: start...end)
    }

    static func readTrace(_ path: String) throws -> LoadTrace {
        let text: String
        do {
            text = try InputFile.text(path)
        } catch {
            throw FileDiagnostic(path: path, line: 1, column: 1, message: error.reason)
        }
        return try LoadTrace.parse(csv: text, path: path)
    }
}

/// The history could not be read from the server (unreachable, an error answer).
struct RemoteLoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { "replay.load: \(message)" }
}
