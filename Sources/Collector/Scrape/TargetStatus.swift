/// What the collector knows of a target between scrapes, for `/api/v1/targets`, the status API
/// and `ballast scrape`.
package struct TargetStatus: Sendable {
    package enum Health: String, Sendable {
        case up, down, unknown
    }

    package var target: ScrapeTarget
    package var health: Health = .unknown
    /// Why the last scrape failed; empty when it succeeded.
    package var lastError = ""
    /// The last scrape's timestamp (ms), nil before the first.
    package var lastScrape: Int64?
    package var lastDuration: Double = 0
    /// Consecutive scrapes with the current health (HAProxy's rise/fall count).
    package var consecutive = 0
    /// HELP, TYPE and UNIT by family, from the last successful scrape.
    package var metadata: [String: MetricMetadata] = [:]

    package init(target: ScrapeTarget) {
        self.target = target
    }
}
