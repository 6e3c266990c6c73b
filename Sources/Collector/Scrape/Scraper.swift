import Exposition
import Foundation
package import HTTPFetch
package import Store

/// Scrapes one target once: the request Prometheus would send, the body checked and parsed by
/// the rules Prometheus applies, each sample's series found in the target's cache (and labelled
/// from it when the store asks, as Prometheus labels a target's series). The collector's loop and
/// `ballast scrape` both go through it, so the operator's "why is this target down" tool sees
/// exactly what the daemon sees.
package struct Scraper: Sendable {
    package let fetcher: HTTPFetcher
    package let userAgent: String
    /// The metadata logs of every target this scraper scrapes, each decoded once.
    let metadataLibrary = MetadataLibrary()

    package init(fetcher: HTTPFetcher, userAgent: String) {
        self.fetcher = fetcher
        self.userAgent = userAgent
    }

    /// Prometheus 2.42's `Accept`: OpenMetrics preferred, the text format accepted.
    package static let acceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// Scrapes `target` at wall-clock `timestamp` (ms) through the target's series `cache`, whose
    /// scrape the caller ends (`SeriesCache.stored`, `endScrape`) once it stored the report.
    package func scrape(_ target: ScrapeTarget, at timestamp: Int64, cache: inout SeriesCache) async -> ScrapeReport {
        let started = ContinuousClock.now
        var report = ScrapeReport(
            target: target,
            timestamp: timestamp,
            duration: 0,
            error: nil,
            samples: [],
            samplesScraped: 0,
            samplesAccepted: 0,
            seriesAdded: 0,
            metadata: [:]
        )
        cache.beginScrape()
        do {
            var request = try makeRequest(target)
            // A little over the last body, so one that grew a bit still fits.
            request.expectedBodySize = cache.lastBodySize + cache.lastBodySize / 8
            let response = await fetcher.fetch(request)
            cache.lastBodySize = response.body.count
            if let error = response.error {
                report.error = error
            } else {
                let (ingest, error) = ingest(response, target: target, timestamp: timestamp, cache: &cache)
                report.samplesScraped = ingest.samplesScraped
                report.samplesAccepted = ingest.samples.count
                if let error {
                    report.error = error
                } else {
                    report.samples = ingest.samples
                    cache.fitAfterGrowth()
                    report.seriesAdded = ingest.seriesAdded
                    report.metadata = cache.metadata.finish(sharing: metadataLibrary)
                }
            }
        } catch {
            report.error = "\(error)"
        }
        report.duration = (ContinuousClock.now - started) / .seconds(1)
        return report
    }

    /// The labels of each sample of the scrape `cache` just ingested for `target`, built from
    /// the series' keys when asked for: the store asks for those of series it has no id for,
    /// `ballast scrape` for all of them.
    package func labels(of target: ScrapeTarget, cache: SeriesCache) -> SampleLabels {
        cache.labels(by: TargetLabeling(target.allLabels))
    }

    /// Parses a successful response through the target's series cache.
    private func ingest(
        _ response: FetchResponse,
        target: ScrapeTarget,
        timestamp: Int64,
        cache: inout SeriesCache
    ) -> (ScrapeIngest, String?) {
        var ingest = ScrapeIngest(timestamp: timestamp, expectedSamples: cache.count)
        // Moved in and out, never copied: a shared cache would be copied whole.
        swap(&ingest.cache, &cache)
        let error = parse(response, into: &ingest)
        swap(&ingest.cache, &cache)
        return (ingest, error)
    }

    /// The request: Prometheus' headers, the timeout, the body limit, and secrets read from
    /// their files now (so a rotated secret is picked up at the next scrape).
    func makeRequest(_ target: ScrapeTarget) throws(SecretFileError) -> FetchRequest {
        var request = FetchRequest(
            url: target.url,
            headers: ["Accept: \(Self.acceptHeader)", "X-Prometheus-Scrape-Timeout-Seconds: \(Self.seconds(target.timeoutMilliseconds))"],
            timeoutMilliseconds: Int(target.timeoutMilliseconds),
            bodySizeLimit: target.bodySizeLimit,
            userAgent: userAgent,
            tls: target.tls
        )
        try HTTPCredentials(bearerTokenFile: target.bearerTokenFile, basicAuth: target.basicAuth).authorize(&request)
        return request
    }

    /// Parses a 200 response by its `Content-Type`, as Prometheus 3 does (OpenMetrics or the
    /// text format; anything else fails the scrape rather than being guessed at), into `ingest`.
    /// Returns why it failed, or nil.
    private func parse(_ response: FetchResponse, into ingest: inout ScrapeIngest) -> String? {
        guard let contentType = response.contentType, let format = ExpositionFormat(contentType: contentType) else {
            let shown = response.contentType.map { "\"\($0.prefix(100))\"" } ?? "none"
            return "received unsupported Content-Type \(shown); a target must answer text/plain or application/openmetrics-text"
        }
        var parser = ExpositionParser(format: format)
        do {
            try response.body.withUnsafeBufferPointer { try parser.parse($0, into: &ingest) }
            return nil
        } catch let error as ExpositionError {
            ingest.failed(at: error)
            return "parse error: \(error)"
        } catch {
            return "parse error: \(error)"
        }
    }

    /// Seconds as Go's `FormatFloat(s, 'f', -1, 64)` writes them (`10`, `1.5`).
    static func seconds(_ milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)
    }
}
