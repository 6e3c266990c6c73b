import ArgumentParser
import Foundation
import Query
import Store

/// `ballast query`: evaluates PromQL over a store and prints exactly what Prometheus' HTTP API
/// would return, so existing tooling (and `jq` habits) work on Ballast's data.
struct QueryCommand: ParsableCommand {
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

    func run() throws {
        do {
            let expr = try PromQL.parse(expression)
            let store = try Store(path: db, readOnly: true)
            let engine = QueryEngine(reader: store)
            if let start, let end, let step {
                let from = try Self.time(start, "start")
                let through = try Self.time(end, "end")
                guard let resolution = APITime.parseDuration(step) else {
                    throw EvaluationError(.badData, "invalid parameter \"step\": cannot parse \"\(step)\" to a valid duration")
                }
                print(PrometheusJSON.success(try engine.range(expr, start: from, end: through, step: resolution)))
            } else {
                let at = try time.map { try Self.time($0, "time") } ?? Int64(Date().timeIntervalSince1970 * 1000)
                print(PrometheusJSON.success(try engine.instant(expr, at: at), at: at))
            }
        } catch {
            print(PrometheusJSON.error(error))
            FileHandle.standardError.write(Data("ballast query: \(Self.message(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    private static func time(_ text: String, _ parameter: String) throws -> Int64 {
        guard let value = APITime.parseTime(text) else {
            throw EvaluationError(.badData, "invalid parameter \"\(parameter)\": cannot parse \"\(text)\" to a valid timestamp")
        }
        return value
    }

    /// The plain message, the same text the JSON error carries.
    private static func message(_ error: any Error) -> String {
        switch error {
        case let parse as ParseError: return "invalid query: \(parse)"
        default: return "\(error)"
        }
    }
}
