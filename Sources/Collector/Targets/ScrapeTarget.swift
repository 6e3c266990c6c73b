package import HTTPFetch

/// One metrics endpoint to scrape, with everything the collector needs to do it and to label
/// what it stores: `job` (the pool) and `instance` (the backend's canonical traffic address,
/// which may differ from the metrics endpoint's port), plus file_sd target labels.
package struct ScrapeTarget: Sendable, Hashable {
    package var job: String
    package var instance: String
    /// The full URL scraped (scheme, host, port, path, query).
    package var url: String
    /// Target labels beyond `job` and `instance` (from file_sd), stored on every series.
    package var labels: [String: String]
    package var intervalMilliseconds: Int64
    package var timeoutMilliseconds: Int64
    package var bodySizeLimit: Int
    package var tls: TLSFiles
    package var basicAuth: BasicAuthFiles?
    package var bearerTokenFile: String?
    /// `false` for a pool with `scrape: none`: the target is a member (listed, matched to its
    /// signals) but never scraped; its health comes from `signals_from`.
    package var scraped = true

    package init(
        job: String,
        instance: String,
        url: String,
        labels: [String: String] = [:],
        intervalMilliseconds: Int64,
        timeoutMilliseconds: Int64,
        bodySizeLimit: Int = ScrapeTarget.defaultBodySizeLimit,
        tls: TLSFiles = TLSFiles(),
        basicAuth: BasicAuthFiles? = nil,
        bearerTokenFile: String? = nil
    ) {
        self.job = job
        self.instance = instance
        self.url = url
        self.labels = labels
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.bodySizeLimit = bodySizeLimit
        self.tls = tls
        self.basicAuth = basicAuth
        self.bearerTokenFile = bearerTokenFile
    }

    /// 16 MiB: about 200,000 series of a typical exposition, far beyond a backend's own metrics,
    /// and small enough that a target streaming an endless body costs bounded memory.
    /// Prometheus has no default limit; `scrape.body_size_limit` changes it per policy.
    package static let defaultBodySizeLimit = 16 << 20

    /// The identity the store tracks the target's series (and staleness) by.
    package var key: String { "\(job)\u{1F}\(instance)\u{1F}\(url)" }

    /// Every target label, `job` and `instance` included, as Prometheus shows them.
    package var allLabels: [String: String] {
        var all = labels
        all["job"] = job
        all["instance"] = instance
        return all
    }
}
