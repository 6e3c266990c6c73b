package import Prometheus
import Store

/// The collector's own series on Ballast's `/metrics`, named as Prometheus names its own
/// (`prometheus_target_*` becomes `ballast_scrape_*`).
package struct CollectorMetrics: Sendable {
    let scrapesUp: Counter
    let scrapesDown: Counter
    let duration: Histogram<Double>
    let lateness: Histogram<Double>
    let samplesIngested: Counter
    let outOfOrder: Counter
    let duplicates: Counter
    let outOfBounds: Counter
    let staleMarkers: Counter
    let storeFailures: Counter
    let targets: Gauge

    package init(registry: PrometheusCollectorRegistry) {
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "ballast", metricName: name, unitName: "total", helpText: help),
                labels: labels
            )
        }
        let scrapes = "Scrapes by result: up (stored) or down (failed: unreachable, non-200, too large, unparsable)."
        scrapesUp = counter("scrapes", scrapes, [("result", "up")])
        scrapesDown = counter("scrapes", scrapes, [("result", "down")])
        duration = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "scrape_duration",
                unitName: "seconds",
                helpText: "Scrape duration: fetch, parse and store."
            ),
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        )
        lateness = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "ballast",
                metricName: "scrape_start_delay",
                unitName: "seconds",
                helpText: "How late scrapes start after their scheduled time."
            ),
            buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
        )
        samplesIngested = counter("samples_ingested", "Samples stored from scrapes, report series included.")
        let dropped = "Scraped samples dropped by the store: out_of_order, duplicate (same timestamp), out_of_bounds (too far in the future)."
        outOfOrder = counter("samples_dropped", dropped, [("reason", "out_of_order")])
        duplicates = counter("samples_dropped", dropped, [("reason", "duplicate")])
        outOfBounds = counter("samples_dropped", dropped, [("reason", "out_of_bounds")])
        staleMarkers = counter("stale_markers", "Stale markers written for series that vanished or targets that failed.")
        storeFailures = counter("scrape_store_failures", "Scrapes that could not be written to the store.")
        targets = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "ballast", metricName: "targets", unitName: "", helpText: "Targets being scraped.")
        )
    }

    func record(_ report: ScrapeReport, _ result: AppendResult) {
        (report.up ? scrapesUp : scrapesDown).increment()
        duration.record(report.duration)
        samplesIngested.increment(by: Int64(result.appended))
        outOfOrder.increment(by: Int64(result.outOfOrder))
        duplicates.increment(by: Int64(result.duplicates))
        outOfBounds.increment(by: Int64(result.outOfBounds))
        staleMarkers.increment(by: Int64(result.staleMarkers))
    }
}
