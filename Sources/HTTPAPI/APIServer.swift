package import Collector
package import Control
import Foundation
package import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
package import Prometheus
package import Query
package import Store

/// What the HTTP API serves from: the store, the collector's targets, Ballast's own metrics.
package struct APISources: Sendable {
    package var store: LiveStore
    package var collector: Collector
    package var control: ControlLoop
    /// Where API queries run (threads of their own, not the cooperative pool).
    package var queries: QueryExecutor
    /// The file holding the token operator commands need; nil disables them.
    package var adminTokenFile: String?
    /// Ballast's own metrics, rendered fresh for each `/metrics` request.
    package var metricsText: @Sendable () async -> [UInt8]
    /// Whether the daemon has loaded its policies and started scraping (`/-/ready`).
    package var isReady: @Sendable () -> Bool
    package var version: String
    /// Cancelled at shutdown: stops the API's queries in flight.
    package var queryCancellation: QueryCancellation

    package init(
        store: LiveStore,
        collector: Collector,
        control: ControlLoop,
        queries: QueryExecutor,
        adminTokenFile: String?,
        metricsText: @escaping @Sendable () async -> [UInt8],
        isReady: @escaping @Sendable () -> Bool,
        version: String,
        queryCancellation: QueryCancellation = QueryCancellation()
    ) {
        self.store = store
        self.collector = collector
        self.control = control
        self.queries = queries
        self.adminTokenFile = adminTokenFile
        self.metricsText = metricsText
        self.isReady = isReady
        self.version = version
        self.queryCancellation = queryCancellation
    }
}

/// The daemon's HTTP server: Prometheus' query API over the store (bodies byte for byte as
/// Prometheus 2.42 writes them), its targets and metadata endpoints, Ballast's `/metrics`,
/// health and readiness. The handlers adapt requests to `PrometheusAPI`, which holds the logic.
package enum APIServer {
    /// The largest form body accepted (a query is rarely more than a few kilobytes).
    static let maximumBodySize = 1 << 20

    /// An application listening on `host:port` (loopback by default), ready to run in the
    /// daemon's `ServiceGroup`; `onListening` receives the bound port (useful with port 0).
    package static func application(
        host: String,
        port: Int,
        sources: APISources,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        maximumConnections: Int = 1_000,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(sources: sources, registry: registry),
            // A connection that sends nothing for 30 s is closed, so idle and half-open
            // connections cannot pile up until the process runs out of file descriptors.
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(30))),
            // Beyond `maximumConnections` the server stops accepting (clients wait in the listen
            // backlog), so clients cannot take the descriptors scrapes and the store need.
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "Ballast/\(sources.version)",
                availableConnectionsDelegate: .maximum(maximumConnections, logger: logger)
            ),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// How long an API query may run: Prometheus' default `--query.timeout`.
    static let queryTimeout: Duration = .seconds(120)

    /// Every route. Separate from `application` so the routes can be listed and tested.
    package static func router(sources: APISources, registry: PrometheusCollectorRegistry) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(registry: registry))
        router.get("/") { request, _ -> Response in
            let pools = await sources.control.statuses()
            let now = WallClock.now()
            let fragment = FormParameters(Substring(request.uri.query ?? ""))["fragment"] == "pools"
            let body = fragment ? StatusPage.fragment(pools, now: now) : StatusPage.page(pools, version: sources.version, now: now)
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        router.get("/healthz") { _, _ in "OK\n" }
        router.get("/-/healthy") { _, _ in "Ballast is Healthy.\n" }
        router.get("/-/ready") { _, _ -> Response in
            sources.isReady() ? text("Ballast is Ready.\n") : text("Service Unavailable\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            let body = await sources.metricsText()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/api/v1/query", method: method) { request, _ in
                let parameters = try await formParameters(request)
                return await answer {
                    try await sources.store.query(on: sources.queries) { store in
                        PrometheusAPI.query(
                            parameters.first,
                            engine: QueryEngine(reader: store, timeout: queryTimeout, cancellation: sources.queryCancellation),
                            now: WallClock.now()
                        )
                    }
                }
            }
            router.on("/api/v1/query_range", method: method) { request, _ in
                let parameters = try await formParameters(request)
                return await answer {
                    try await sources.store.query(on: sources.queries) { store in
                        PrometheusAPI.queryRange(
                            parameters.first,
                            engine: QueryEngine(reader: store, timeout: queryTimeout, cancellation: sources.queryCancellation)
                        )
                    }
                }
            }
            router.on("/api/v1/series", method: method) { request, _ in
                let parameters = try await formParameters(request)
                return await answer {
                    try await sources.store.query(on: sources.queries) { store in
                        PrometheusAPI.series(matches: parameters.all("match[]"), start: parameters["start"], end: parameters["end"], reader: store)
                    }
                }
            }
            router.on("/api/v1/labels", method: method) { request, _ in
                let parameters = try await formParameters(request)
                return await answer {
                    try await sources.store.query(on: sources.queries) { store in
                        PrometheusAPI.labelNames(
                            matches: parameters.all("match[]"),
                            start: parameters["start"],
                            end: parameters["end"],
                            reader: store
                        )
                    }
                }
            }
        }
        router.get("/api/v1/label/:name/values") { request, context in
            let parameters = try await formParameters(request)
            let name = FormParameters("n=" + (context.parameters.get("name") ?? ""))["n"] ?? ""
            return await answer {
                try await sources.store.query(on: sources.queries) { store in
                    PrometheusAPI.labelValues(
                        name: name,
                        matches: parameters.all("match[]"),
                        start: parameters["start"],
                        end: parameters["end"],
                        reader: store
                    )
                }
            }
        }
        router.get("/api/v1/targets") { request, _ in
            let parameters = try await formParameters(request)
            return json(TargetsJSON.targets(sources.collector.statuses(), state: parameters["state"], scrapePool: parameters["scrapePool"]))
        }
        router.get("/api/v1/metadata") { request, _ in
            let parameters = try await formParameters(request)
            var limit = -1
            if let text = parameters["limit"] {
                guard let parsed = Int(text) else { return respond(.error(type: "bad_data", message: "limit must be a number")) }
                limit = parsed
            }
            return json(TargetsJSON.metadata(sources.collector.statuses(), metric: parameters["metric"], limit: limit))
        }
        PoolRoutes.add(to: router, sources: sources)
        router.get("/api/v1/status/buildinfo") { _, _ in
            json(
                "{\"status\":\"success\",\"data\":{\"version\":\(PrometheusJSON.quoted(sources.version)),\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"swift6\"}}"
            )
        }
        return router
    }

    /// Query string and, for a form POST, the body's parameters after them.
    private static func formParameters(_ request: Request) async throws -> FormParameters {
        var parameters = FormParameters(Substring(request.uri.query ?? ""))
        if request.method == .post, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.body.collect(upTo: maximumBodySize)
            parameters.append(FormParameters(Substring(String(buffer: body))))
        }
        return parameters
    }

    /// A store read for a Prometheus endpoint. A read that cannot run (the store cannot be
    /// opened, too many queries are waiting) answers Prometheus' error JSON, as Prometheus does,
    /// rather than an empty 500.
    private static func answer(_ read: () async throws -> PrometheusAPI.Response) async -> Response {
        do {
            return respond(try await read())
        } catch let error as QueryExecutorError {
            return respond(.error(type: "unavailable", message: "\(error)"))
        } catch {
            return respond(.error(type: "internal", message: "\(error)"))
        }
    }

    private static func respond(_ response: PrometheusAPI.Response) -> Response {
        json(response.body, status: HTTPResponse.Status(code: response.status))
    }

    private static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

}
