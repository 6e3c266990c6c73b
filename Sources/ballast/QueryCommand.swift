import ArgumentParser
import Foundation
import Query
import Store

/// `ballast query`: evaluates PromQL over a store and prints exactly what Prometheus' HTTP API
/// would return, so existing tooling (and `jq` habits) work on Ballast's data.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate a PromQL expression over a store; print the Prometheus HTTP API JSON.",
        discussion: """
            Without --start/--end/--step this is an instant query at --time (default: now). \
            Times are RFC 3339 or unix seconds (fractional allowed); durations like 15s or 5m. \
            An invalid query prints the API's error JSON on stdout, the message on stderr, and exits 1.
            """
    )

    @Option(help: "The store file.")
    var db: String

    @Option(help: "Evaluation time of an instant query (RFC 3339 or unix seconds; default now).")
    var time: String?

    @Option(help: "Start of a range query.")
    var start: String?

    @Option(help: "End of a range query.")
    var end: String?

    @Option(help: "Resolution step of a range query (15s, 1m, or seconds).")
    var step: String?

    @Argument(help: "The PromQL expression.")
    var expression: String

    func validate() throws {
        let rangeOptions = [start, end, step].compactMap { $0 }
        if !rangeOptions.isEmpty && rangeOptions.count != 3 {
            throw ValidationError("A range query needs all of --start, --end and --step.")
        }
        if time != nil && !rangeOptions.isEmpty {
            throw ValidationError("Give either --time (instant query) or --start/--end/--step (range query), not both.")
        }
    }

    func run() async throws {
        let (db, expression, time, start, end, step) = (db, expression, time, start, end, step)
        // On a thread with the daemon's query stack: a long chain such as `1 + 1 + … + 1`
        // evaluates by recursion, as in the daemon's API, beyond what the main thread's stack holds.
        let response = try await QueryExecutor(name: "ballast-query", threads: 1).run { () -> PrometheusAPI.Response in
            do {
                let engine = QueryEngine(reader: try Store(path: db, readOnly: true))
                if let start, let end, let step {
                    return PrometheusAPI.queryRange(["query": expression, "start": start, "end": end, "step": step], engine: engine)
                }
                var parameters = ["query": expression]
                parameters["time"] = time
                return PrometheusAPI.query(parameters, engine: engine, now: WallClock.now())
            } catch {
                return .error(type: "internal", message: "cannot open the store: \(error)")
            }
        }
        print(response.body)
        if let message = response.errorMessage {
            FileHandle.standardError.writeQuietly(Data("ballast query: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
