import Foundation
import HTTPFetch
import Query
import Store
import TestSupport
import Testing

@testable import RemoteQuery

/// The client against a real Prometheus 2.42 over backfilled data: answers decode to what
/// Prometheus sent, long ranges are paged and joined, and every failure is an error naming the
/// server, never an empty result.
@Suite(.serialized)
struct PrometheusClientTests {
    /// Four hours of one gauge per instance every 15 s, ending on the hour; as OpenMetrics for
    /// promtool and as series for Ballast's own engine.
    struct History {
        let end: Int64 = 1_700_000_000_000 / 3_600_000 * 3_600_000
        var start: Int64 { end - 4 * 3_600_000 }
        let series: [SeriesSamples]

        init() {
            var series: [SeriesSamples] = []
            for (index, instance) in ["10.0.0.1:80", "10.0.0.2:80"].enumerated() {
                var samples: [Sample] = []
                var time = end - 4 * 3_600_000
                while time <= end {
                    samples.append(Sample(timestamp: time, value: Double((time / 15_000 + Int64(index) * 7) % 97) / 8))
                    time += 15_000
                }
                series.append(SeriesSamples(labels: Labels(name: "load", ["instance": instance, "job": "web"]), samples: samples))
            }
            self.series = series
        }

        var openMetrics: String {
            var text = "# TYPE load gauge\n"
            for entry in series {
                let labels = entry.labels.pairs.filter { $0.name != Labels.metricNameLabel }.map { "\($0.name)=\"\($0.value)\"" }
                for sample in entry.samples {
                    text += "load{\(labels.joined(separator: ","))} \(sample.value) \(Double(sample.timestamp) / 1000)\n"
                }
            }
            return text + "# EOF\n"
        }
    }

    private static func client(_ url: String, timeoutMilliseconds: Int = 5_000) -> PrometheusClient {
        PrometheusClient(
            endpoint: PrometheusEndpoint(url: url, timeoutMilliseconds: timeoutMilliseconds),
            fetcher: HTTPFetcher(),
            userAgent: "Ballast/test"
        )
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func answersDecodeToWhatPrometheusSentAndEqualTheLocalEngine() async throws {
        let history = History()
        let peer = try await PrometheusPeer.backfilled(openMetrics: history.openMetrics)
        defer { peer.stop() }
        let client = Self.client("http://127.0.0.1:\(peer.port)/")
        let local = QueryEngine(reader: InMemorySeries(history.series))
        let time = history.start + 7_200_000 + 1_234
        let queries = [
            "load", "avg_over_time(load[1m])", "sum(load)", "scalar(sum(load))", "max by (instance) (load) > 5", #""text""#,
            #"load{job="web", instance="10.0.0.2:80"} * 2"#, "absent(nothing)", "vector(NaN)", "1 / 0",
        ]
        for query in queries {
            let raw = try await peer.get("query", ["query": query, "time": PrometheusClient.seconds(time)])
            let decoded = try await client.instant(query, at: time)
            #expect(PrometheusJSON.success(decoded, at: time) == raw, "\(query): decoded answer does not re-encode to Prometheus' body")
            #expect(raw == PrometheusJSON.success(try local.instant(query, at: time), at: time), "\(query): Prometheus and the local engine disagree")
        }
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func rangesLongerThanElevenThousandPointsArePagedAndJoined() async throws {
        let history = History()
        let peer = try await PrometheusPeer.backfilled(openMetrics: history.openMetrics)
        defer { peer.stop() }
        let client = Self.client("http://127.0.0.1:\(peer.port)")
        // 14,401 steps of 1 s: Prometheus refuses this as one request.
        let (start, end, step): (Int64, Int64, Int64) = (history.start, history.end, 1_000)
        let refused = try await peer.get("query_range", ["query": "load", "start": "\(start / 1000)", "end": "\(end / 1000)", "step": "1"])
        #expect(refused.contains("exceeded maximum resolution of 11,000 points per timeseries"))
        let series = try await client.range("sum(load)", start: start, end: end, step: step)
        #expect(series.count == 1)
        let samples = series.first?.samples ?? []
        #expect(samples.count == 14_401)
        #expect(samples.first?.timestamp == start && samples.last?.timestamp == end)
        #expect(zip(samples, samples.dropFirst()).allSatisfy { $1.timestamp - $0.timestamp == step })
        let local = QueryEngine(reader: InMemorySeries(history.series))
        var expected: [Sample] = []
        for page in QueryEngine.pages(from: start, to: end, step: step) {
            expected += try local.range(PromQL.parse("sum(load)"), start: page.start, end: page.end, step: step).first?.samples ?? []
        }
        #expect(samples == expected)
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func failuresAreErrorsNamingTheServerNeverEmptyResults() async throws {
        let peer = try await PrometheusPeer.backfilled(openMetrics: History().openMetrics)
        let url = "http://127.0.0.1:\(peer.port)"
        let client = Self.client(url)
        await #expect {
            _ = try await client.instant("sum(load", at: 1_700_000_000_000)
        } throws: { error in
            guard let error = error as? RemoteQueryError, case .server(let type) = error.kind else { return false }
            return type == "bad_data" && error.message.contains(url) && error.message.contains("unclosed left parenthesis")
        }
        peer.stop()
        await #expect {
            _ = try await client.instant("load", at: 1_700_000_000_000)
        } throws: { error in
            guard let error = error as? RemoteQueryError else { return false }
            return error.kind == .unavailable && error.message.contains("connection refused")
        }

        // Not a Prometheus API at that URL: an HTTP server answering every POST with 501.
        let directory = try TemporaryDirectory()
        let other = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.path), port: PrometheusPeer.freePort())
        defer { other.stop() }
        await #expect {
            _ = try await Self.client("http://127.0.0.1:\(other.port)").instant("load", at: 1_700_000_000_000)
        } throws: { error in
            (error as? RemoteQueryError)?.message.contains("127.0.0.1:\(other.port)") == true
        }

        // A server that accepts the connection and never answers: the timeout, not a hang.
        let silent = try SilentListener()
        defer { silent.close() }
        let started = ContinuousClock.now
        await #expect {
            _ = try await Self.client("http://127.0.0.1:\(silent.port)", timeoutMilliseconds: 500).instant("load", at: 1_700_000_000_000)
        } throws: { error in
            guard let error = error as? RemoteQueryError else { return false }
            return error.kind == .unavailable && error.message.contains("timed out")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test
    func timesAreSentAsSecondsWithMilliseconds() {
        #expect(PrometheusClient.seconds(1_700_000_000_000) == "1700000000")
        #expect(PrometheusClient.seconds(1_700_000_000_005) == "1700000000.005")
        #expect(PrometheusClient.seconds(-1_500) == "-1.5" || PrometheusClient.seconds(-1_500) == "-1.500")
    }
}
