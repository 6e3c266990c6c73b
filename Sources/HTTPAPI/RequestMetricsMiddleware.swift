import Hummingbird
import Prometheus

/// Counts every request by route and status code and times it, for Ballast's `/metrics`
/// (`ballast_http_requests_total{route, code}`, `ballast_http_request_duration_seconds{route}`).
/// The route is the pattern (`/api/v1/label/{name}/values`), never the raw path, so a scanner
/// cannot grow the series count.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            observe(context, response.status.code, ContinuousClock.now - start)
            return response
        } catch {
            observe(context, (error as? any HTTPResponseError)?.status.code ?? 500, ContinuousClock.now - start)
            throw error
        }
    }

    private func observe(_ context: Context, _ code: Int, _ elapsed: Duration) {
        let route = context.endpointPath ?? "unmatched"
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "http_requests",
                unitName: "total",
                helpText: "HTTP requests served, by route and status code."
            ),
            labels: [("route", route), ("code", String(code))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "http_request_duration",
                unitName: "seconds",
                helpText: "HTTP request latency, by route."
            ),
            labels: [("route", route)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
        ).record(elapsed)
    }
}
