import Foundation
package import HTTPFetch
package import Query
import Store

/// Queries a Prometheus-compatible HTTP API: `/api/v1/query` for a policy's signals and
/// `/api/v1/query_range` for replay's history, each a form POST (as Grafana sends them, so a long
/// expression never meets a URL length limit) over the shared libcurl loop. Every failure is a
/// ``RemoteQueryError`` naming the server, never an empty result: a signal that cannot be read
/// must not look like a signal that is zero.
package struct PrometheusClient: Sendable {
    package let endpoint: PrometheusEndpoint
    private let fetcher: HTTPFetcher
    private let userAgent: String

    /// A body larger than this fails the query: 64 MiB holds an 11,000-point page of several
    /// hundred series, far beyond one pool's signals.
    static let bodySizeLimit = 64 << 20

    package init(endpoint: PrometheusEndpoint, fetcher: HTTPFetcher, userAgent: String) {
        self.endpoint = endpoint
        self.fetcher = fetcher
        self.userAgent = userAgent
    }

    /// `query` evaluated at `time` (ms).
    package func instant(_ query: String, at time: Int64) async throws(RemoteQueryError) -> Value {
        let data = try await post("query", [("query", query), ("time", Self.seconds(time))])
        return try Self.value(data, query: query, server: endpoint.url)
    }

    /// `query` over [`start`, `end`] every `step` (ms), asked in pages of at most 11,000 points
    /// per series (Prometheus' limit) and joined by series, in time order.
    package func range(_ query: String, start: Int64, end: Int64, step: Int64) async throws(RemoteQueryError) -> [MatrixSeries] {
        var joined: [Labels: [Sample]] = [:]
        var order: [Labels] = []
        for page in QueryEngine.pages(from: start, to: end, step: step) {
            let data = try await post(
                "query_range",
                [("query", query), ("start", Self.seconds(page.start)), ("end", Self.seconds(page.end)), ("step", Self.seconds(step))]
            )
            guard case .matrix(let series) = try Self.value(data, query: query, server: endpoint.url) else {
                throw RemoteQueryError(.malformed, "\(endpoint.url) answered query_range for \(query) without a matrix")
            }
            for entry in series {
                if joined[entry.labels] == nil { order.append(entry.labels) }
                joined[entry.labels, default: []] += entry.samples
            }
        }
        return order.map { MatrixSeries(labels: $0, samples: joined[$0] ?? []) }
    }

    /// The API's `data` object of a successful answer to `POST /api/v1/<path>`.
    private func post(_ path: String, _ form: [(String, String)]) async throws(RemoteQueryError) -> [String: Any] {
        var request = FetchRequest(
            url: endpoint.apiURL(path),
            headers: ["Accept: application/json"],
            timeoutMilliseconds: endpoint.timeoutMilliseconds,
            bodySizeLimit: Self.bodySizeLimit,
            userAgent: userAgent,
            tls: endpoint.tls,
            form: URLQueryEncoding.form(form)
        )
        do {
            try endpoint.credentials.authorize(&request)
        } catch {
            throw RemoteQueryError(.unavailable, "\(endpoint.url): \(error)")
        }
        let response = await fetcher.fetch(request)
        let document = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        if let document, document["status"] as? String == "error" {
            let type = document["errorType"] as? String ?? "error"
            let message = (document["error"] as? String ?? "no message").prefix(2_000)
            // The server's words, minus anything a terminal or a log line would act on.
            let printable = String(String.UnicodeScalarView(message.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
            throw RemoteQueryError(.server(errorType: type), "\(endpoint.url) answered \(type): \(printable)")
        }
        if let error = response.error {
            throw RemoteQueryError(.unavailable, "\(endpoint.url): \(error)")
        }
        guard let document, document["status"] as? String == "success", let data = document["data"] as? [String: Any] else {
            throw RemoteQueryError(.malformed, "\(endpoint.url) did not answer with the Prometheus API's JSON (is the URL the server's base URL?)")
        }
        return data
    }

    /// Seconds with millisecond precision, as the API takes times and steps.
    static func seconds(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let fraction = magnitude % 1000
        return sign + "\(magnitude / 1000)" + (fraction == 0 ? "" : "." + String(String(fraction + 1000).dropFirst()))
    }
}
