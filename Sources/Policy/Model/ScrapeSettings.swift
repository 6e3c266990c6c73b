/// How the collector scrapes each backend's metrics endpoint.
package struct ScrapeSettings: Sendable, Hashable, Codable {
    /// Time between scrapes of one backend.
    package var interval: PolicyDuration
    /// How long one scrape may take before it counts as failed; at most ``interval``.
    package var timeout: PolicyDuration
    /// The HTTP path of the metrics endpoint.
    package var path: String

    /// Creates scrape settings; the defaults are Prometheus' except a 15 s interval.
    package init(
        interval: PolicyDuration = .seconds(15),
        timeout: PolicyDuration = .seconds(10),
        path: String = "/metrics"
    ) {
        self.interval = interval
        self.timeout = timeout
        self.path = path
    }
}
