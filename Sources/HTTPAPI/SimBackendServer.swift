import Foundation
package import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
import Query
package import SimBackend

/// `ballast sim-backend`'s HTTP server: every path but the ones below is a request the simulated
/// backend serves (through its capacity, queue and latency); `/metrics` its metrics;
/// `GET /admin/config` its behaviour and `POST /admin/config` with JSON
/// `{"capacity": RPS, "latency_ms": MS, "fail_rate": F}` (any subset) changes it live. The
/// admin endpoint has no token: a simulated backend listens on loopback for demos and tests.
package enum SimBackendServer {
    package static func application(
        host: String,
        port: Int,
        backend: SimBackend,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(backend: backend),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(60))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ballast-sim-backend"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    package static func router(backend: SimBackend) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: backend.metricsText()))
            )
        }
        router.get("/admin/config") { _, _ in json(backend.configJSON()) }
        router.post("/admin/config") { request, _ in
            struct Change: Decodable {
                var capacity: Double?
                var latencyMs: Double?
                var failRate: Double?
                enum CodingKeys: String, CodingKey {
                    case capacity
                    case latencyMs = "latency_ms"
                    case failRate = "fail_rate"
                }
            }
            let body = try await request.body.collect(upTo: 64 << 10)
            let change: Change
            do {
                change = try JSONDecoder().decode(Change.self, from: Data(body.readableBytesView))
            } catch {
                return json("{\"error\":\"expected JSON such as {\\\"latency_ms\\\": 200}\"}\n", status: .badRequest)
            }
            do {
                _ = try backend.update(capacity: change.capacity, latencyMs: change.latencyMs, failRate: change.failRate)
            } catch {
                return json("{\"error\":\(PrometheusJSON.quoted("\(error)"))}\n", status: .badRequest)
            }
            return json(backend.configJSON())
        }
        let work: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            let status = await backend.serve()
            let text = status == 200 ? "ok\n" : status == 503 ? "queue full\n" : "simulated failure\n"
            return Response(
                status: HTTPResponse.Status(code: status),
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        for method in [HTTPRequest.Method.get, .post, .head] {
            router.on("/", method: method, use: work)
            router.on("/**", method: method, use: work)
        }
        return router
    }

    private static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
