package import Collector
package import HTTPFetch
import ServiceLifecycle

/// Runs the collector for the daemon's life: on graceful shutdown its loops stop, scrapes in
/// flight finish and are stored, then the libcurl loop ends.
package struct CollectorService: Service {
    private let collector: Collector
    private let fetcher: HTTPFetcher

    package init(collector: Collector, fetcher: HTTPFetcher) {
        self.collector = collector
        self.fetcher = fetcher
    }

    package func run() async throws {
        try? await gracefulShutdown()
        await collector.stop()
        fetcher.shutdown()
    }
}
