package import HTTPFetch

/// A Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics) and how to
/// reach it: the base URL its `/api/v1/...` paths hang from, credentials from files, TLS files
/// and the time one request may take.
package struct PrometheusEndpoint: Sendable, Hashable {
    /// The base URL, e.g. `http://prometheus:9090` or `https://mimir.example/prometheus`.
    package var url: String
    package var credentials: HTTPCredentials
    package var tls: TLSFiles
    /// One request, connect included (ms).
    package var timeoutMilliseconds: Int

    package init(url: String, credentials: HTTPCredentials = HTTPCredentials(), tls: TLSFiles = TLSFiles(), timeoutMilliseconds: Int = 10_000) {
        self.url = url
        self.credentials = credentials
        self.tls = tls
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The URL of `/api/v1/<path>` under the base URL.
    func apiURL(_ path: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/api/v1/" + path
    }
}
