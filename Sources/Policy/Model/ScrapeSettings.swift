/// How the collector scrapes each backend's metrics endpoint. The endpoint may differ from the
/// traffic address (a PostgreSQL primary on :5432 exports through postgres_exporter on :9187):
/// `port` and `scheme` choose it; secrets come from files only.
package struct ScrapeSettings: Sendable, Hashable {
    /// `false` for `scrape: none`: Ballast does not scrape the pool's backends; their `up` and
    /// signals come from `signals_from`, and failures are seen as late as that server sees them.
    package var enabled = true
    /// Time between scrapes of one backend.
    package var interval: PolicyDuration
    /// How long one scrape may take before it counts as failed; at most ``interval``.
    package var timeout: PolicyDuration
    /// The HTTP path of the metrics endpoint.
    package var path: String
    /// `http` or `https`.
    package var scheme: String
    /// The metrics port, when it is not the backend's traffic port.
    package var port: Int?
    /// URL query parameters, each name with its values in order (`module: [http_2xx]`).
    package var params: [String: [String]]
    /// The body size (bytes, after decompression) at which a scrape fails; nil: the collector's
    /// default; 0: no limit but `maximumBodySizeLimit`, as Prometheus' 0 means no limit.
    package var bodySizeLimit: Int?
    /// 1 GiB, the largest `body_size_limit` allowed: the collector's series cache addresses a
    /// target's keys (at most three bodies' bytes between compactions) with 32 bits.
    package static let maximumBodySizeLimit = 1 << 30

    /// The limit a scrape applies for a configured `body_size_limit`: 0 is the largest allowed.
    package static func effectiveBodySizeLimit(_ configured: Int) -> Int {
        configured == 0 ? maximumBodySizeLimit : configured
    }
    package var tls: ScrapeTLS?
    package var basicAuth: ScrapeBasicAuth?
    /// A file holding the bearer token sent as `Authorization: Bearer`.
    package var bearerTokenFile: String?

    /// Creates scrape settings; the defaults are Prometheus' except a 15 s interval.
    package init(
        interval: PolicyDuration = .seconds(15),
        timeout: PolicyDuration = .seconds(10),
        path: String = "/metrics",
        scheme: String = "http",
        port: Int? = nil,
        params: [String: [String]] = [:],
        bodySizeLimit: Int? = nil,
        tls: ScrapeTLS? = nil,
        basicAuth: ScrapeBasicAuth? = nil,
        bearerTokenFile: String? = nil
    ) {
        self.interval = interval
        self.timeout = timeout
        self.path = path
        self.scheme = scheme
        self.port = port
        self.params = params
        self.bodySizeLimit = bodySizeLimit
        self.tls = tls
        self.basicAuth = basicAuth
        self.bearerTokenFile = bearerTokenFile
    }
}

/// TLS for scraping an `https` endpoint: files only.
package struct ScrapeTLS: Sendable, Hashable {
    package var caFile: String?
    package var certFile: String?
    package var keyFile: String?
    package var insecureSkipVerify: Bool

    package init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// Basic authentication: the password from a file, read at each scrape and never logged.
package struct ScrapeBasicAuth: Sendable, Hashable {
    package var username: String
    package var passwordFile: String

    package init(username: String, passwordFile: String) {
        self.username = username
        self.passwordFile = passwordFile
    }
}
