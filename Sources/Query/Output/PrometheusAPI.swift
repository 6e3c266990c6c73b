/// Prometheus' `/api/v1/query` and `/api/v1/query_range` as pure functions of the request
/// parameters: the same validation order, messages, `errorType`s and HTTP statuses, so
/// `ballast query` and the daemon's HTTP server answer exactly as Prometheus would.
package enum PrometheusAPI {
    /// An HTTP status and the JSON body to send with it.
    package struct Response: Sendable, Equatable {
        package var status: Int
        package var body: String
        /// The error's message alone, for logs and terminals; nil on success.
        package var errorMessage: String?

        /// A response as Prometheus sends it: 200 with a success body, or an error body with
        /// 400 (`bad_data`), 422 (`execution`) or 500 (`internal`).
        package init(status: Int, body: String, errorMessage: String? = nil) {
            self.status = status
            self.body = body
            self.errorMessage = errorMessage
        }

        /// The error response for `message` of Prometheus' `type`.
        package static func error(type: String, message: String) -> Response {
            Response(
                status: PrometheusAPI.status(forErrorType: type),
                body: PrometheusJSON.error(type: type, message: message),
                errorMessage: message
            )
        }
    }

    /// `GET /api/v1/query?query=...&time=...`; `time` defaults to `now` (milliseconds).
    package static func query(_ parameters: [String: String], engine: QueryEngine, now: Int64) -> Response {
        var time = now
        if let text = parameters["time"] {
            guard let parsed = APITime.parseTime(text) else {
                return badData("invalid parameter \"time\": Invalid time value for 'time': cannot parse \"\(text)\" to a valid timestamp")
            }
            time = parsed
        }
        return respond {
            let expr = try PromQL.parse(parameters["query"] ?? "")
            return PrometheusJSON.success(try engine.instant(expr, at: time), at: time)
        }
    }

    /// `GET /api/v1/query_range?query=...&start=...&end=...&step=...`.
    package static func queryRange(_ parameters: [String: String], engine: QueryEngine) -> Response {
        guard let start = APITime.parseTime(parameters["start"] ?? "") else {
            return badData("invalid parameter \"start\": cannot parse \"\(parameters["start"] ?? "")\" to a valid timestamp")
        }
        guard let end = APITime.parseTime(parameters["end"] ?? "") else {
            return badData("invalid parameter \"end\": cannot parse \"\(parameters["end"] ?? "")\" to a valid timestamp")
        }
        guard end >= start else {
            return badData("invalid parameter \"end\": end timestamp must not be before start time")
        }
        guard let step = APITime.parseDuration(parameters["step"] ?? "") else {
            return badData("invalid parameter \"step\": cannot parse \"\(parameters["step"] ?? "")\" to a valid duration")
        }
        guard step > 0 else {
            return badData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // Prometheus 2.42 prefixes a parse error with the parameter's name for instant queries only.
        return respond(parseErrorPrefix: "") {
            let expr = try PromQL.parse(parameters["query"] ?? "")
            return PrometheusJSON.success(try engine.range(expr, start: start, end: end, step: step))
        }
    }

    /// The HTTP status Prometheus sends with an error of `type`.
    package static func status(forErrorType type: String) -> Int {
        switch type {
        case "bad_data": return 400
        case "execution": return 422
        case "not_found": return 404
        case "timeout", "unavailable", "canceled": return 503
        default: return 500
        }
    }

    private static func respond(parseErrorPrefix: String = "invalid parameter \"query\": ", _ evaluate: () throws -> String) -> Response {
        do {
            return Response(status: 200, body: try evaluate())
        } catch let error as ParseError {
            return badData(parseErrorPrefix + "\(error)")
        } catch let error as EvaluationError {
            return .error(type: error.kind.rawValue, message: error.message)
        } catch {
            // Anything else comes from the reader, the store: Prometheus' storage errors are `internal`.
            return .error(type: "internal", message: "\(error)")
        }
    }

    private static func badData(_ message: String) -> Response {
        .error(type: "bad_data", message: message)
    }
}
