import Foundation
package import Logging
import Prometheus
package import Store
import Synchronization

/// Scrapes every target on its interval and stores what it finds, as Prometheus' scrape loops
/// do: each target at a stable offset within its interval (a hash of the target, so targets do
/// not scrape in step and a restart keeps the phase), every fetch on the one libcurl event loop,
/// every scrape one store transaction with the report series, stale markers for vanished series
/// and targets. A slow or hostile target delays only itself.
package final class Collector: Sendable {
    private let scraper: Scraper
    private let writer: StoreWriter
    private let logger: Logger
    private let metrics: CollectorMetrics
    private let state = Mutex<[String: TargetState]>([:])
    private let reportsContinuation: AsyncStream<ScrapeReport>.Continuation
    /// Every stored scrape's report, in order, for one consumer (the control loop's fast health
    /// path). The newest 10,000 are kept if the consumer falls behind.
    package let reports: AsyncStream<ScrapeReport>

    /// One scrape loop and what it remembers.
    private struct TargetState {
        var status: TargetStatus
        var loop: Task<Void, Never>
    }

    package init(scraper: Scraper, writer: StoreWriter, logger: Logger, metrics: CollectorMetrics) {
        self.scraper = scraper
        self.writer = writer
        self.logger = logger
        self.metrics = metrics
        (reports, reportsContinuation) = AsyncStream.makeStream(of: ScrapeReport.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Scrapes exactly `targets` from now on: new ones start, removed ones stop and their series
    /// are marked stale, changed ones restart (keeping their status).
    package func setTargets(_ targets: [ScrapeTarget]) async {
        let wanted = Dictionary(targets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let removed: [(String, Task<Void, Never>)] = state.withLock { state in
            var removed: [(String, Task<Void, Never>)] = []
            for (key, current) in state where wanted[key] != current.status.target {
                current.loop.cancel()
                if wanted[key] == nil {
                    removed.append((key, current.loop))
                    state[key] = nil
                }
            }
            for (key, target) in wanted where state[key]?.status.target != target {
                var status = state[key]?.status ?? TargetStatus(target: target)
                status.target = target
                if !target.scraped { status.lastError = Self.notScraped }
                state[key] = TargetState(status: status, loop: startLoop(target))
            }
            return removed
        }
        for (key, loop) in removed {
            await loop.value
            do {
                try await writer.removeTarget(key, at: WallClock.now())
            } catch {
                logger.error("could not mark a removed target's series stale", metadata: ["target": "\(key)", "error": "\(error)"])
            }
        }
        metrics.targets.set(to: Double(wanted.count))
    }

    /// Every target's status, sorted by job then instance.
    package func statuses() -> [TargetStatus] {
        state.withLock { $0.values.map(\.status) }.sorted { ($0.target.job, $0.target.instance) < ($1.target.job, $1.target.instance) }
    }

    /// Stops every loop and waits for scrapes in flight to be stored, until `storingUntil`
    /// (later ones are dropped, so a shutdown keeps its time limit); ends `reports`.
    package func stop(storingUntil deadline: ContinuousClock.Instant? = nil) async {
        if let deadline { writer.endAppends(at: deadline) }
        let loops = state.withLock { state in state.values.map(\.loop) }
        for loop in loops { loop.cancel() }
        for loop in loops { await loop.value }
        reportsContinuation.finish()
    }

    /// Why a `scrape: none` target has no scrape of its own, for the status API and `/api/v1/targets`.
    static let notScraped = "not scraped (scrape: none): health and signals come from signals_from"

    private func startLoop(_ target: ScrapeTarget) -> Task<Void, Never> {
        guard target.scraped else { return Task {} }
        return Task { [self] in
            var cache = SeriesCache()
            let labeling = TargetLabeling(target.allLabels)
            let interval = target.intervalMilliseconds
            let offset = Int64(ScrapeOffset.offset(of: target.key, interval: interval))
            var last = Int64.min
            while !Task.isCancelled {
                let now = WallClock.now()
                let next = ScrapeOffset.next(after: now, offset: offset, interval: interval, last: last)
                last = next
                do {
                    try await Task.sleep(for: .milliseconds(next - now))
                } catch {
                    return
                }
                let started = WallClock.now()
                metrics.lateness.record(Double(started - next) / 1000)
                let timestamp = ScrapeOffset.timestamp(started: started, scheduled: next, interval: interval)
                await store(scraper.scrape(target, at: timestamp, cache: &cache), labeling: labeling, cache: &cache)
            }
        }
    }

    /// Stores a scrape with its report series, by the ids `cache` keeps where it has them (else
    /// by labels `labeling` makes from its keys), and ends the cache's scrape.
    private func store(_ report: consuming ScrapeReport, labeling: TargetLabeling, cache: inout SeriesCache) async {
        let result: AppendResult
        do {
            let stored = try await writer.appendScrape(
                target: report.target.key,
                samples: Self.samples(&report, cache: cache),
                generation: cache.generation,
                timestamp: report.timestamp,
                labels: cache.labels(by: labeling)
            )
            cache.stored(stored, reportCount: ScrapeReport.reportSeriesCount, samplesStored: report.up)
            cache.endScrape(succeeded: report.up)
            result = stored.result
        } catch .closing {
            cache.endScrape(succeeded: false)
            logger.debug("scrape dropped at shutdown", metadata: ["target": "\(report.target.url)"])
            return
        } catch {
            cache.endScrape(succeeded: false)
            logger.error("could not store a scrape", metadata: ["target": "\(report.target.url)", "error": "\(error)"])
            metrics.storeFailures.increment()
            return
        }
        metrics.record(report, result)
        state.withLock { state in
            guard var entry = state[report.target.key], entry.status.target == report.target else { return }
            let health: TargetStatus.Health = report.up ? .up : .down
            entry.status.consecutive = entry.status.health == health ? entry.status.consecutive + 1 : 1
            entry.status.health = health
            entry.status.lastError = report.error ?? ""
            entry.status.lastScrape = report.timestamp
            entry.status.lastDuration = report.duration
            if report.up { entry.status.metadata = report.metadata }
            state[report.target.key] = entry
        }
        if let error = report.error {
            logger.debug("scrape failed", metadata: ["job": "\(report.target.job)", "instance": "\(report.target.instance)", "error": "\(error)"])
        }
        report.metadata = [:]
        reportsContinuation.yield(report)
    }

}

extension Collector {
    /// `report`'s samples (moved out of it, so adding the report series copies nothing) and its
    /// report series, by the ids `cache` keeps where it has them.
    private static func samples(_ report: inout ScrapeReport, cache: SeriesCache) -> [ScrapedSample] {
        var samples = report.samples
        report.samples = []
        // At most one exact growth: a first scrape's array would otherwise double to add them.
        samples.reserveCapacity(samples.count + report.reportSamples.count)
        let reportIDs = cache.reportIDs
        for (index, item) in report.reportSamples.enumerated() {
            samples.append(ScrapedSample(labels: item.labels, id: reportIDs?[index], sample: item.sample))
        }
        return samples
    }
}

/// Where in its interval a target is scraped: a stable hash of the target, so the targets of a
/// pool spread over the interval, and a restart keeps each one's phase (Prometheus hashes the
/// target's labels and URL the same way); and the timestamp a scrape gets.
enum ScrapeOffset {
    static func offset(of key: String, interval: Int64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash % UInt64(max(1, interval))
    }

    /// The first time at or after `now` (ms) in the target's schedule (every `interval` from
    /// `offset`), other than `last`, the time of its previous scrape: a scrape done within the
    /// millisecond it was due (or a wall clock stepped back a little) does not take it again.
    static func next(after now: Int64, offset: Int64, interval: Int64, last: Int64) -> Int64 {
        var next = now - ((now - offset) % interval + interval) % interval
        if next < now { next += interval }
        return next == last ? next + interval : next
    }

    /// How far from its schedule a scrape may start and still be stamped with it.
    static let timestampTolerance: Int64 = 2

    /// The timestamp of a scrape that started at `started` (ms) for its `scheduled` time: the
    /// schedule when it started within `timestampTolerance` of it and the interval is over 100
    /// times that, as Prometheus aligns scrape timestamps, so a series' timestamps lie exactly
    /// one interval apart and its chunks store each in one bit (delta of delta 0).
    static func timestamp(started: Int64, scheduled: Int64, interval: Int64) -> Int64 {
        interval > 100 * timestampTolerance && abs(started - scheduled) <= timestampTolerance ? scheduled : started
    }
}
