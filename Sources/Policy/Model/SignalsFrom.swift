/// `signals_from`: a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir,
/// VictoriaMetrics) the pool's signals are read from instead of Ballast's own store, with the
/// same per-backend instant queries; in the daemon's configuration for every pool, or in a
/// policy for its own pool. Secrets come from files only.
package struct SignalsFrom: Sendable, Hashable {
    /// The server's base URL, the one its `/api/v1/query` hangs from.
    package var url: String
    /// A file holding the token sent as `Authorization: Bearer`.
    package var bearerTokenFile: String?
    package var basicAuth: ScrapeBasicAuth?
    package var tls: ScrapeTLS?
    /// How long one query may take; a slower answer is that signal's error.
    package var timeout: PolicyDuration
    /// The `job` label the remote server gives this pool's backends; nil: the pool's name, as
    /// Ballast's own scrapes label them.
    package var job: String?

    package init(
        url: String,
        bearerTokenFile: String? = nil,
        basicAuth: ScrapeBasicAuth? = nil,
        tls: ScrapeTLS? = nil,
        timeout: PolicyDuration = .seconds(10),
        job: String? = nil
    ) {
        self.url = url
        self.bearerTokenFile = bearerTokenFile
        self.basicAuth = basicAuth
        self.tls = tls
        self.timeout = timeout
        self.job = job
    }

    /// The same settings with every file path passed through `resolve` (relative paths are
    /// relative to the file that names them).
    package func resolvingPaths(with resolve: (String) -> String) -> SignalsFrom {
        var resolved = self
        resolved.bearerTokenFile = bearerTokenFile.map(resolve)
        resolved.basicAuth?.passwordFile = resolve(basicAuth?.passwordFile ?? "")
        resolved.tls?.caFile = tls?.caFile.map(resolve)
        resolved.tls?.certFile = tls?.certFile.map(resolve)
        resolved.tls?.keyFile = tls?.keyFile.map(resolve)
        return resolved
    }
}
