package import Collector
package import HTTPFetch
import ServiceLifecycle

/// Runs the collector for the daemon's life: on graceful shutdown its loops stop, scrapes in
/// flight finish and are stored (until `storeBudget` after the shutdown began), then the
/// libcurl loop ends.
package struct CollectorService: Service {
    private let collector: Collector
    private let fetcher: HTTPFetcher
    private let shutdown: ShutdownClock
    private let storeBudget: Duration

    package init(collector: Collector, fetcher: HTTPFetcher, shutdown: ShutdownClock, storeBudget: Duration) {
        self.collector = collector
        self.fetcher = fetcher
        self.shutdown = shutdown
        self.storeBudget = storeBudget
    }

    package func run() async throws {
        try? await gracefulShutdown()
        await collector.stop(storingUntil: shutdown.deadline(after: storeBudget))
        fetcher.shutdown()
    }
}
