import ArgumentParser
import Collector
import Exposition
import Foundation
import HTTPFetch
import Policy
import Store

/// `ballast scrape URL`: one scrape through the collector's exact code path (headers, timeout,
/// size limit, Content-Type, parser, labels), printing the samples as Ballast would store them
/// and the `up`/`scrape_*` values: the operator's "why is this target down" tool.
struct ScrapeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrape",
        abstract: "Scrape one URL as the collector does; print its samples and the up/scrape_* values.",
        discussion: """
            Samples print as JSON lines (the parse-metrics form), labelled job="scrape" and \
            instance=<host:port> as the collector labels a target; then the report series. A failed \
            scrape prints its reason on standard error and exits 1.
            """
    )

    @Argument(help: "The metrics endpoint, e.g. http://127.0.0.1:9100/metrics.")
    var url: String

    @Flag(help: "Print samples=N instead of the samples.")
    var count = false

    @Option(help: "The scrape timeout, in seconds.")
    var timeout: Double = 10

    @Option(help: "The body size in bytes at which the scrape fails (0: 1 GiB, as Prometheus' 0 means no limit).")
    var bodySizeLimit = ScrapeTarget.defaultBodySizeLimit

    func validate() throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("\(url): only http:// and https:// URLs are scraped")
        }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        guard bodySizeLimit >= 0, bodySizeLimit <= ScrapeSettings.maximumBodySizeLimit else {
            throw ValidationError("--body-size-limit must be between 0 and \(ScrapeSettings.maximumBodySizeLimit) bytes (1 GiB)")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let fetcher = HTTPFetcher()
        defer { fetcher.shutdown() }
        let authority = url.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2).first.map(String.init) ?? url
        let target = ScrapeTarget(
            job: "scrape",
            instance: authority,
            url: url,
            intervalMilliseconds: Int64(timeout * 1000),
            timeoutMilliseconds: Int64(timeout * 1000),
            bodySizeLimit: ScrapeSettings.effectiveBodySizeLimit(bodySizeLimit)
        )
        let now = WallClock.now()
        var cache = SeriesCache()
        let scraper = Scraper(fetcher: fetcher, userAgent: "Ballast/\(BallastVersion.current)")
        let report = await scraper.scrape(target, at: now, cache: &cache)
        var writer = JSONLinesWriter()
        if count {
            FileHandle.standardOutput.writeQuietly(Data("samples=\(report.samples.count)\n".utf8))
        } else {
            let labels = scraper.labels(of: target, cache: cache)
            for (index, sample) in report.samples.enumerated() { Self.write(labels(index).decoded, sample.sample, into: &writer) }
        }
        for sample in report.reportSamples { Self.write(sample.labels, sample.sample, into: &writer) }
        FileHandle.standardOutput.writeQuietly(Data(writer.output))
        if let error = report.error {
            FileHandle.standardError.writeQuietly(Data("\(url): down: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private static func write(_ labels: Labels, _ sample: Sample, into writer: inout JSONLinesWriter) {
        writer.write(
            name: labels.metricName ?? "",
            labels: labels.pairs.filter { $0.name != Labels.metricNameLabel }.map { ($0.name, $0.value) },
            value: sample.value,
            timestampMs: sample.timestamp
        )
    }
}
