import Foundation
import Store
import TestSupport
import Testing

@testable import Query

/// Staleness as a real Prometheus writes it: a series that disappears from a scrape, then a
/// target that disappears, get stale markers; the same samples (read back with
/// `promtool tsdb dump`) must give the same answers from both engines around those moments.
@Suite(.serialized)
struct PrometheusStalenessTests {
    private static let queries = [
        "a_metric", "b_metric", "up", "count_over_time(a_metric[3s])", "rate(a_metric[5s])", "last_over_time(b_metric[10s])",
        "a_metric offset 2s", "absent(b_metric)", "timestamp(a_metric)", "sum(up)", #"count_over_time({job="t"}[2s])"#,
        #"count_over_time({k=~".+"}[2s])"#,
        "max_over_time(up[5s:500ms])", "changes(up[10s])", "b_metric or a_metric", "a_metric + on(instance) group_left b_metric",
    ]

    @Test(
        .enabled(
            if: PrometheusPeer.isInstalled && MetricsFileServer.isAvailable,
            "prometheus, promtool and python3 (to serve the scrape target) are needed"
        )
    )
    func staleMarkersFromRealScrapesEndSeriesAsInPrometheus() async throws {
        let peer = try PrometheusPeer()
        defer { peer.stop() }
        let server = try await MetricsFileServer(
            directory: peer.directory.appendingPathComponent("www"),
            port: try PrometheusPeer.freePort(),
            body: "a_metric{k=\"1\"} 1\nb_metric{k=\"2\"} 2\n"
        )
        defer { server.stop() }
        let targets = peer.directory.appendingPathComponent("targets.json")
        try #"[{"targets": ["127.0.0.1:\#(server.port)"], "labels": {"job": "t"}}]"#.write(to: targets, atomically: true, encoding: .utf8)
        try await peer.start(
            config: """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: t
                    file_sd_configs: [{files: ["\(targets.path)"], refresh_interval: 1s}]

                """
        )
        // Scrapes with both series; then b_metric vanishes from the body; then the target goes away.
        try await wait(peer, until: "count_over_time(b_metric[1m]) >= 3")
        try server.serve("a_metric{k=\"1\"} 3\n")
        try await wait(peer, until: "absent(b_metric) and on() count_over_time(a_metric[1m]) >= 7")
        try "[]".write(to: targets, atomically: true, encoding: .utf8)
        try await wait(peer, until: "absent(up)")
        peer.halt()

        let reader = try Self.reader(fromDump: try peer.dump())
        let times = reader.series.flatMap { $0.samples.map(\.timestamp) }
        let (first, last) = (times.min() ?? 0, times.max() ?? 0)
        #expect(reader.series.contains { $0.labels.metricName == "b_metric" && $0.samples.last?.isStale == true })
        #expect(reader.series.contains { $0.labels.metricName == "up" && $0.samples.last?.isStale == true })

        try await peer.start(config: "global: {scrape_interval: 15s}\n")
        let engine = QueryEngine(reader: reader)
        let (start, end) = (first - 2000, last + 3000)
        for query in Self.queries {
            let expr = try PromQL.parse(query)
            let ours = Self.body { PrometheusJSON.success(try engine.range(expr, start: start, end: end, step: 250)) }
            let theirs = try await peer.get(
                "query_range",
                ["query": query, "start": Self.seconds(start), "end": Self.seconds(end), "step": "0.25"]
            )
            #expect(ours == theirs, "\(query)")
            for time in [last, last - 1, last + 1, first, (first + last) / 2] {
                let instant = Self.body { PrometheusJSON.success(try engine.instant(expr, at: time), at: time) }
                #expect(instant == (try await peer.get("query", ["query": query, "time": Self.seconds(time)])), "\(query) at \(time)")
            }
        }
    }

    /// Polls Prometheus until `condition` (a PromQL expression) returns something, or fails after 30 s.
    private func wait(_ peer: PrometheusPeer, until condition: String) async throws {
        for _ in 0..<300 {
            let body = try await peer.get("query", ["query": condition])
            if body.contains("\"result\":[{") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError(message: "Prometheus never satisfied \(condition)")
    }

    /// Reads `promtool tsdb dump` lines (`{a="b", ...} value timestamp_ms`). The data holds no
    /// genuine NaN, so every NaN is a stale marker.
    static func reader(fromDump dump: String) throws -> InMemorySeries {
        var reader = InMemorySeries()
        for line in dump.split(separator: "\n") {
            guard let close = line.lastIndex(of: "}") else { continue }
            let fields = line[line.index(after: close)...].split(separator: " ")
            guard fields.count == 2, let value = Double(fields[0]), let time = Int64(fields[1]) else {
                throw PeerError(message: "unexpected dump line: \(line)")
            }
            let labels = try parseLabels(line[line.index(after: line.startIndex)..<close])
            reader.append(value.isNaN ? Sample.staleMarker(at: time) : Sample(timestamp: time, value: value), to: labels)
        }
        return reader
    }

    /// `name="value", name="value"` with Go's `\"`, `\\` and `\n` escapes.
    private static func parseLabels(_ text: Substring) throws -> Labels {
        var pairs: [Label] = []
        var rest = text
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ",")))
            rest = rest[rest.index(equals, offsetBy: 2)...]
            var value = ""
            var escaped = false
            var end = rest.startIndex
            for index in rest.indices {
                let character = rest[index]
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    end = index
                    break
                } else {
                    value.append(character)
                }
            }
            pairs.append(Label(name: name, value: value))
            rest = rest[rest.index(after: end)...]
        }
        guard !pairs.isEmpty else { throw PeerError(message: "no labels in \(text)") }
        return Labels(pairs)
    }

    /// The API body for a result, or for the error evaluating it threw.
    private static func body(_ evaluate: () throws -> String) -> String {
        do {
            return try evaluate()
        } catch {
            return PrometheusJSON.error(error)
        }
    }

    private static func seconds(_ milliseconds: Int64) -> String {
        String(format: "%.3f", Double(milliseconds) / 1000)
    }
}
