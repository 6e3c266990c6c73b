import Control
import Foundation
import Hummingbird
import Policy
import Query
import Store

/// `/api/v1/pools[/NAME]`, `/api/v1/decisions` and the operator commands
/// `POST /api/v1/pools/NAME/{failover,failback,drain,undrain}`: Ballast's own endpoints, in
/// Prometheus' envelope (`{"status":"success","data":...}`, errors with `errorType`).
enum PoolRoutes {
    static func add(to router: Router<BasicRequestContext>, sources: APISources) {
        router.get("/api/v1/status") { _, _ in
            let status = InstanceStatus(
                version: sources.version,
                ha: await sources.control.haStatus(),
                pools: await sources.control.pools()
            )
            return success(try JSONEncoder.api.encode(status))
        }
        router.get("/api/v1/pools") { _, _ in
            success(try JSONEncoder.api.encode(await sources.control.statuses()))
        }
        router.get("/api/v1/pools/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let status = await sources.control.status(of: name) else { return notFound(pool: name) }
            return success(try JSONEncoder.api.encode(status))
        }
        router.get("/api/v1/decisions") { request, _ in
            let parameters = FormParameters(Substring(request.uri.query ?? ""))
            var limit = 100
            if let text = parameters["limit"] {
                guard let parsed = Int(text), parsed > 0 else {
                    return failure(.badRequest, "bad_data", "invalid parameter \"limit\": \(PrometheusJSON.quoted(text)) is not a positive integer")
                }
                limit = min(parsed, 10_000)
            }
            var since: Int64?
            if let text = parameters["since"] {
                guard let parsed = APITime.parseTime(text) else {
                    return failure(
                        .badRequest,
                        "bad_data",
                        "invalid parameter \"since\": cannot parse \(PrometheusJSON.quoted(text)) to a valid timestamp"
                    )
                }
                since = parsed
            }
            let pool = parameters["pool"]
            let kind = parameters["kind"]
            let (from, count, newestFirst) = (since ?? .min, limit, since == nil)
            let entries = try await sources.store.query(on: sources.queries) { store in
                try store.journal(pool: pool, kind: kind, since: from, limit: count, newestFirst: newestFirst)
            }
            let decisions = entries.map {
                DecisionStatus(
                    time: $0.timestamp,
                    pool: $0.pool,
                    kind: $0.kind,
                    origin: Self.origin(of: $0.data),
                    reason: $0.reason,
                    decision: $0.data,
                    epoch: $0.epoch
                )
            }
            return success(try JSONEncoder.api.encode(decisions))
        }
        for verb in ["failover", "failback", "drain", "undrain"] {
            router.post("/api/v1/pools/:name/\(verb)") { request, context in
                guard authorized(request, tokenFile: sources.adminTokenFile) else {
                    return failure(
                        .forbidden,
                        "forbidden",
                        sources.adminTokenFile == nil
                            ? "operator commands are disabled: configure admin.token_file and send Authorization: Bearer <token>"
                            : "send the admin token as Authorization: Bearer <token>"
                    )
                }
                // In an HA pair only the leader's engine state counts (the follower's is replaced
                // at takeover): a command the follower took would be lost.
                if let ha = await sources.control.haStatus(), ha.role == .follower {
                    return failure(
                        .conflict,
                        "not_leader",
                        "this instance follows in its HA pair and applies nothing; send the command to the leader"
                            + (ha.holder.map { " (\($0))" } ?? "")
                    )
                }
                let name = context.parameters.get("name") ?? ""
                let command: OperatorCommand
                switch verb {
                case "failover": command = .failover
                case "failback": command = .failback
                default:
                    let body = try await request.body.collect(upTo: 64 * 1024)
                    guard let backend = Self.backend(in: Data(body.readableBytesView)) else {
                        return failure(.badRequest, "bad_data", "\(verb) needs a JSON body naming the backend: {\"backend\": \"host:port\"}")
                    }
                    command = verb == "drain" ? .drain(address: backend) : .undrain(address: backend)
                }
                guard let outcome = await sources.control.command(command, pool: name) else { return notFound(pool: name) }
                guard outcome.shared else {
                    return failure(
                        .serviceUnavailable,
                        "not_shared",
                        "the command was decided but the engine state could not be shared with the HA pair through PostgreSQL, "
                            + "so a takeover would lose it; nothing is applied until it is shared (see ballast_ha_state_share_failures_total)"
                    )
                }
                let statuses = outcome.decisions.map {
                    DecisionStatus(
                        time: $0.time.milliseconds,
                        pool: $0.pool,
                        kind: $0.action.kind,
                        origin: $0.origin.rawValue,
                        reason: $0.reason,
                        decision: ""
                    )
                }
                return success(try JSONEncoder.api.encode(["decisions": statuses]))
            }
        }
    }

    /// Whether the request carries the admin token: constant-time comparison of the bytes, and
    /// the token read from its file for each request (a rotated token takes effect at once).
    static func authorized(_ request: Request, tokenFile: String?) -> Bool {
        guard let tokenFile, let data = FileManager.default.contents(atPath: tokenFile) else { return false }
        var token = Array(data)
        while let last = token.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { token.removeLast() }
        guard !token.isEmpty, let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.utf8.dropFirst(7))
        var difference = UInt8(given.count == token.count ? 0 : 1)
        for index in 0..<token.count { difference |= token[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }

    /// The `backend` of a `{"backend": "host:port"}` body, validated as an address.
    private static func backend(in body: Data) -> BackendAddress? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let text = object["backend"] as? String else {
            return nil
        }
        return try? BackendAddress(parsing: text)
    }

    private static func origin(of data: String) -> String {
        data.contains("\"origin\":\"operator\"") ? "operator" : "automatic"
    }

    private static func success(_ data: Data) -> Response {
        var body = Data("{\"status\":\"success\",\"data\":".utf8)
        body.append(data)
        body.append(Data("}".utf8))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func notFound(pool: String) -> Response {
        failure(.notFound, "not_found", "no pool named \(PrometheusJSON.quoted(pool)); GET /api/v1/pools lists them")
    }

    private static func failure(_ status: HTTPResponse.Status, _ type: String, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: PrometheusJSON.error(type: type, message: message)))
        )
    }
}
