package import Collector
import Foundation
package import HTTPFetch
import Synchronization

/// An open-loop traffic generator: requests are sent at the offered rate whatever the answers'
/// latency (as users arrive), through the collector's libcurl client. It counts every answer and
/// keeps latencies overall and per second, so the demo shows the last few seconds' p99.
package final class LoadGenerator: Sendable {
    /// What was sent and answered so far.
    package struct Totals: Sendable {
        package var sent: UInt64 = 0
        package var ok: UInt64 = 0
        /// Answers other than 200, and requests that failed (refused, reset, timed out).
        package var failed: UInt64 = 0
        /// Requests not sent because too many were in flight.
        package var shed: UInt64 = 0
        package var latencies = LatencyHistogram()
        /// The last seconds' latencies, newest last, one histogram per second.
        package var recent: [LatencyHistogram] = []
        package var recentFailed: [UInt64] = []
        package var inFlight = 0
    }

    static let window = 5
    static let maximumInFlight = 4000
    private let url: String
    private let fetcher: HTTPFetcher
    private let totals = Mutex(Totals())

    package init(url: String, fetcher: HTTPFetcher) {
        self.url = url
        self.fetcher = fetcher
    }

    package var snapshot: Totals { totals.withLock { $0 } }

    /// Counts afresh from now (a measurement window after a warm-up); requests in flight are
    /// counted in the new window when they end.
    package func resetCounts() {
        totals.withLock { totals in
            let inFlight = totals.inFlight
            totals = Totals()
            totals.inFlight = inFlight
        }
    }

    /// The p99 of the last five seconds, in seconds.
    package var recentP99: Double? {
        let recent = snapshot.recent
        var merged = LatencyHistogram()
        for histogram in recent { merged.merge(histogram) }
        return merged.quantile(0.99)
    }

    /// Sends requests at `rate(elapsed)` per second until the task is cancelled; returns after
    /// the requests in flight are answered (each times out after 5 s).
    package func run(rate: @Sendable @escaping (Duration) -> Double) async {
        let start = ContinuousClock.now
        var due = 0.0
        var last = start
        var second = 0
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
                let now = ContinuousClock.now
                let elapsed = now - start
                let seconds = Int(elapsed.components.seconds)
                if seconds != second {
                    second = seconds
                    totals.withLock { totals in
                        totals.recent.append(LatencyHistogram())
                        totals.recentFailed.append(0)
                        if totals.recent.count > Self.window {
                            totals.recent.removeFirst()
                            totals.recentFailed.removeFirst()
                        }
                    }
                }
                let step = now - last
                last = now
                due += rate(elapsed) * (Double(step.components.attoseconds) / 1e18 + Double(step.components.seconds))
                while due >= 1 {
                    due -= 1
                    let admitted = totals.withLock { totals -> Bool in
                        totals.sent += 1
                        guard totals.inFlight < Self.maximumInFlight else {
                            totals.shed += 1
                            totals.failed += 1
                            return false
                        }
                        totals.inFlight += 1
                        return true
                    }
                    guard admitted else { continue }
                    group.addTask { await self.send() }
                }
            }
            await group.waitForAll()
        }
    }

    private func send() async {
        let response = await fetcher.fetch(FetchRequest(url: url, timeoutMilliseconds: 5000, bodySizeLimit: 64 << 10, userAgent: "ballast-demo"))
        let ok = response.error == nil && response.status == 200
        totals.withLock { totals in
            totals.inFlight -= 1
            if ok {
                totals.ok += 1
                totals.latencies.record(seconds: response.seconds)
                if !totals.recent.isEmpty { totals.recent[totals.recent.count - 1].record(seconds: response.seconds) }
            } else {
                totals.failed += 1
                if !totals.recentFailed.isEmpty { totals.recentFailed[totals.recentFailed.count - 1] += 1 }
            }
        }
    }
}
