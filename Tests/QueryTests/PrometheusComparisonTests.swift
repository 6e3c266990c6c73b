import Foundation
import Store
import TestSupport
import Testing

@testable import Query

/// The expressions compared with Prometheus, instant and range: selectors, every function and
/// aggregation of the subset, operators with each kind of matching, and edge cases.
let comparedExpressions = [
    "http_requests_total", #"http_requests_total{code="500"}"#, #"http_requests_total{instance=~"a|b",code!="200"}"#,
    #"{__name__=~"node_.*"}"#, "http_requests_total offset 5m", "node_load offset 90s", "temperature",
    "rate(http_requests_total[1m])", "rate(http_requests_total[5m])", "rate(http_requests_total[2m] offset 3m)",
    "irate(http_requests_total[5m])", "increase(http_requests_total[10m])", "increase(http_requests_total[45s])",
    "delta(node_load[5m])", "idelta(node_load[2m])", "deriv(node_load[10m])", "deriv(temperature[5m])",
    "predict_linear(node_load[10m], 600)", "changes(node_load[5m])", "resets(http_requests_total[30m])",
    "avg_over_time(node_load[5m])", "min_over_time(node_load[5m])", "max_over_time(temperature[2m])",
    "sum_over_time(node_load[3m])", "count_over_time(temperature[1m])", "last_over_time(node_load[1m])",
    "quantile_over_time(0.9, temperature[10m])", "quantile_over_time(0.25, node_load[2m])", "stddev_over_time(node_load[5m])",
    "stdvar_over_time(temperature[5m])", "present_over_time(node_load[1m])", #"absent_over_time(node_load{instance="b"}[2m])"#,
    "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.5, sum by (instance, le) (rate(request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.9, request_duration_seconds_bucket)", "histogram_quantile(0, rate(request_duration_seconds_bucket[1m]))",
    "histogram_quantile(1, rate(request_duration_seconds_bucket[2m]))",
    "rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m])",
    "sum(rate(http_requests_total[5m]))", "sum by (code) (rate(http_requests_total[5m]))",
    "avg without (instance) (rate(http_requests_total[5m]))", "max by (instance) (node_load)", "min(node_load)",
    "count(http_requests_total)", "count by (instance) (http_requests_total)", "group by (code) (http_requests_total)",
    "topk(2, node_load)", "bottomk(1, rate(http_requests_total[5m]))", "topk by (code) (1, http_requests_total)",
    "quantile(0.5, node_load)", "quantile by (code) (0.75, rate(http_requests_total[5m]))", "stddev(node_load)",
    "stdvar by (code) (rate(http_requests_total[5m]))", #"count_values("load", round(node_load))"#,
    "node_load * 2", "2 - node_load", "node_load > 0.5", "0.5 < node_load", "node_load > bool 0.5", "node_load ^ 2",
    "node_load % 0.3", "-node_load", "node_load atan2 1", "1 + 2 * 3 - 4 / 2", "2 ^ 3 ^ 2", "-2 ^ 2", "10 % 3 > bool 0",
    "http_requests_total / http_requests_total offset 5m", "http_requests_total == bool on(instance, code) http_requests_total offset 1m",
    "rate(http_requests_total[5m]) / on(instance) group_left sum by (instance) (rate(http_requests_total[5m]))",
    "sum by (instance) (rate(http_requests_total[5m])) / ignoring(code) group_right rate(http_requests_total[5m])",
    #"node_load * on(instance) group_left(room) temperature{room="hall"}"#, #"node_load and on(instance) http_requests_total{code="500"}"#,
    "node_load or temperature", #"node_load unless on(instance) temperature{room="hall"}"#, "node_load > on(instance) node_load offset 1m",
    "abs(node_load)", "clamp_min(node_load, 0)", "clamp_max(node_load, 0.2)", "clamp(node_load, -0.1, 0.3)",
    "round(node_load, 0.1)", "round(node_load)", "ceil(node_load)", "floor(node_load)", "sqrt(abs(node_load))",
    "exp(node_load)", "ln(abs(node_load))", "sgn(node_load)", "scalar(sum(node_load))", "scalar(node_load)",
    "vector(1)", "time()", "timestamp(node_load)", "timestamp(temperature offset 1m)", #"absent(nonexistent{a="b"})"#,
    "absent(node_load)", "sum(node_load) * scalar(count(node_load))",
    #"label_replace(node_load, "host", "$1-x", "instance", "(.*)")"#, #"label_replace(node_load, "instance", "", "instance", "a")"#,
    #"label_replace(http_requests_total, "class", "${1}xx", "code", "(\\d)\\d\\d")"#, #"label_join(node_load, "id", "/", "instance", "__name__")"#,
    "node_load offset -1m", "0x10 + 010", "Inf", "-Inf", "NaN", "1 / 0", "node_load / 0", "0 * node_load / 0",
    "histogram_quantile(NaN, rate(request_duration_seconds_bucket[5m]))", "histogram_quantile(1.5, rate(request_duration_seconds_bucket[5m]))",
    "quantile(2, node_load)", "quantile(-1, node_load)", "topk(0, node_load)", "topk(1.9, node_load)", "round(node_load, 0)",
    "log2(abs(node_load))", "log10(abs(node_load))", "sort(node_load)", "sort_desc(node_load)", "max(sum by (instance) (http_requests_total))",
    "count_values by (instance) (\"code\", http_requests_total > 0)", "sum without (code) (http_requests_total)", "avg(node_load) by (instance)",
    "absent_over_time(nonexistent[5m])", "timestamp(vector(1))", "-http_requests_total", "http_requests_total - on() group_left vector(1)",
    "node_load > bool on(instance) group_left node_load offset 5m", "stddev_over_time(http_requests_total[2m])",
    "rate(http_requests_total[15s])", "rate(http_requests_total[16s])", "irate(temperature[1m])", "delta(temperature[90s])",
    #"sum by (__name__) ({__name__=~"node_load|temperature"})"#, "http_requests_total unless http_requests_total offset 30m",
    #"http_requests_total{code="500"} or vector(0)"#, "vector(1) and on() node_load", "node_load == node_load", "node_load == bool node_load",
    "node_load != 0.5", "http_requests_total / ignoring(code) group_left sum without (code) (http_requests_total)",
    "max_over_time(node_load[10m] offset 10m)", "rate(http_requests_total[10m] offset -5m)", "deriv(http_requests_total[30s])",
    "irate(http_requests_total[15s])", "increase(http_requests_total[1h])", "histogram_quantile(0.5, sum by (le) (request_duration_seconds_bucket))",
    "topk(2, sum by (instance) (rate(http_requests_total[5m])))", "bottomk by (code) (1, http_requests_total)",
    "sort_desc(sum by (instance) (http_requests_total))", "clamp(node_load, 0.5, 0.1)", "round(node_load, 0.25)", "round(-node_load)",
    "-node_load ^ 2", "2 ^ -1", "node_load ^ node_load", "node_load % -0.3", "scalar(vector(3)) * node_load", "time() - timestamp(node_load)",
    "changes(temperature[10m])", "resets(node_load[10m])", "present_over_time(nonexistent[1m])",
    #"absent(node_load{instance="zzz", job=~"x"})"#, #"absent(nonexistent{a="b", a="c", a="d"})"#,
    #"label_replace(node_load, "foo", "$bar-$1", "instance", "(?P<bar>.*)")"#, #"{__name__=~"http_.*", code="200"}"#,
    #"http_requests_total{instance!~"a|b"}"#, #"http_requests_total{code=~"2.."}"#, #"http_requests_total{code=~"(?i)OK|500"}"#,
    "sum(http_requests_total) by (instance) > 1000", "avg_over_time(node_load[1m] offset 1h)",
    "sum_over_time(http_requests_total[1h]) / count_over_time(http_requests_total[1h])",
    "hour()", "minute()", "day_of_week()", "month()", "year()", "day_of_month()", "day_of_year()", "days_in_month()",
    "days_in_month(vector(1709164800))", "year(vector(-1))", "month(vector(951782400))", "day_of_year(vector(1704067199))",
    "day_of_month(timestamp(node_load))", "hour(node_load * 1e5)", "day_of_week(-node_load * 1e6)", "minute(vector(NaN))", "year(vector(NaN))",
    "hour(vector(1e300))", "year(vector(-1e15))", "day_of_year(vector(-1e15))",
    "sin(node_load)", "cos(node_load)", "tan(node_load)", "asin(node_load)", "acos(node_load)", "atan(node_load)",
    "sinh(node_load)", "cosh(node_load)", "tanh(node_load)", "asinh(node_load)", "acosh(abs(node_load) + 1)",
    "atanh(node_load)", "deg(node_load)", "rad(node_load)", "pi()",
    "max_over_time(rate(http_requests_total[1m])[10m:1m])", "avg_over_time(node_load[5m:])", "rate(http_requests_total[5m:30s])",
    "max_over_time(sum(node_load)[7m:45s] offset 2m)", "min_over_time(deriv(node_load[5m])[20m:2m])",
    "max_over_time(max_over_time(node_load[2m:30s])[5m:1m])", "absent_over_time(nonexistent[5m:])", "last_over_time(node_load[5m:1m])",
    "count_over_time(node_load[10m:1m])", "node_load[5m:1m]", "quantile_over_time(0.5, rate(http_requests_total[1m])[10m:1m])",
    "sum_over_time((node_load offset 1m)[3m:20s])", "increase(sum by (code) (http_requests_total)[15m:1m])",
    "histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m:1m])))",
    "node_load @ end()", "rate(http_requests_total[5m] @ start())", "node_load @ start() offset 5m", "node_load offset 5m @ end()",
    "max_over_time(node_load[10m:1m] @ end())", "sum by (instance) (node_load @ end())", "node_load - node_load @ start()",
    "timestamp(node_load @ start())", "node_load[1m]", "temperature[45s] offset 1m", "count_values without (instance) (\"v\", node_load > 0)",
    "stddev(node_load{instance=\"a\"})", "quantile(0.5, node_load / 0)", "holt_winters(node_load[10m], 0.5, 0.5)",
    "holt_winters(http_requests_total[5m], 0.1, 0.9)", "holt_winters(rate(http_requests_total[1m])[10m:1m], 0.3, 0.6)",
]

/// Expressions that fail at evaluation time (or nearly do): both engines must give the same outcome.
private let failingExpressions = [
    "http_requests_total + on(instance) node_load",
    "node_load + on(instance) http_requests_total",
    "node_load * on(instance) group_left(room) temperature",
    "sum by (instance) (http_requests_total) / on(instance) group_right http_requests_total",
    "rate(http_requests_total[5m]) / on(instance) group_left rate(http_requests_total[5m])",
    #"{__name__=~"node_load|temperature"} + 1"#,
    #"label_replace(node_load, "instance", "x", "instance", ".*")"#,
    #"label_replace(node_load, "a-b", "x", "instance", ".*")"#,
    "holt_winters(node_load[10m], 1, 0.5)", "holt_winters(node_load[10m], 0.5, -2)",
    #"-{__name__=~"request_duration_seconds_(count|sum)"}"#, #"abs({__name__=~"request_duration_seconds_(count|sum)"})"#,
    #"{__name__=~"request_duration_seconds_(count|sum)"} * 2"#, #"rate({__name__=~"request_duration_seconds_(count|sum)"}[5m])"#,
    #"{__name__=~"request_duration_seconds_(count|sum)"} > bool 0"#, #"{__name__=~"request_duration_seconds_(count|sum)"} > 0"#,
    #"last_over_time({__name__=~"request_duration_seconds_(count|sum)"}[1m])"#,
]

/// Queries Prometheus refuses, one or more for each error the parser can raise: unbalanced
/// delimiters, unexpected tokens of every kind, bad numbers, durations and strings, type errors
/// of functions, aggregations and operators, modifiers set twice, bad regexes.
private let invalidExpressions = [
    #"sum(rate(x[5m])))"#,
    #"sum(up"#,
    #"up[5m"#,
    #"rate(up)"#,
    #"up offset"#,
    #"("#,
    #")"#,
    #"1 +"#,
    #"+"#,
    #"up{"#,
    #"up{a="#,
    #"up{a="b""#,
    #"up{a="b" c="d"}"#,
    #"up{="b"}"#,
    #"up{a=~"("}"#,
    #"{}"#,
    #"up[5]"#,
    #"up[5m:"#,
    #"up[5m:1m"#,
    #"up[1m] offset"#,
    #"up @"#,
    #"up @ foo"#,
    #"1 == 1"#,
    #"up and 1"#,
    #"1 and up"#,
    #"rate(up[5m], 1)"#,
    #"rate()"#,
    #"nosuchfunc(up)"#,
    #"sum by (a"#,
    #"sum by a (up)"#,
    #"sum(up) by"#,
    #"topk(up)"#,
    #"topk(1)"#,
    #"count_values(1, up)"#,
    #"quantile("a", up)"#,
    #"label_replace(up, "a", "b", "c")"#,
    #"label_replace(up, 1, "b", "c", "d")"#,
    #"histogram_quantile(0.9)"#,
    #""abc" + 1"#,
    #"up + "abc""#,
    #"up * on(a) group_left(a) up"#,
    #"up[5m] + 1"#,
    #"-"a""#,
    #"1 bool == 1"#,
    #"up offset 5m offset 5m"#,
    #"up @ 100 @ 100"#,
    #"sum without(a) by(b) (up)"#,
    #"up{__name__="x"}"#,
    #"x{__name__="y"}"#,
    #"`abc"#,
    #""abc"#,
    #"'abc"#,
    #"1e"#,
    #"0x"#,
    #"up |"#,
    #"up[-5m]"#,
    #"up[0s]"#,
    #"max_over_time(up)"#,
    #"abs(up, up)"#,
    #"vector()"#,
    #"time(1)"#,
    #"up unless on(a) group_left up"#,
    #"sort(up[5m])"#,
    #"absent(up[5m])"#,
]

@Suite(.serialized)
struct PrometheusComparisonTests {
    /// Data ending three hours ago on an hour boundary: old enough that promtool writes it
    /// into finished blocks Prometheus loads at start, recent enough for its retention.
    static func dataEnd() -> Int64 {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return now / 3_600_000 * 3_600_000 - 3 * 3_600_000
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func instantAndRangeResultsMatchPrometheus() async throws {
        let data = ComparisonData(end: Self.dataEnd())
        let peer = try await PrometheusPeer.backfilled(openMetrics: data.openMetrics)
        defer { peer.stop() }
        let storePath = peer.directory.appendingPathComponent("ballast.db").path
        let store = try Store(path: storePath)
        let importer = try BackfillImporter(store: store)
        for series in data.series {
            for sample in series.samples { try importer.add(series.labels, sample) }
        }
        try importer.finish()
        let engine = QueryEngine(reader: store)

        let instantTimes = [data.start + 1_800_000, data.start + 1_234_567, data.end, data.end + 120_000, data.end + 420_000]
        let ranges: [(Int64, Int64, Int64)] = [(data.start, data.end, 60_000), (data.start + 600_500, data.end + 600_000, 37_000)]
        var compared = 0
        var nonEmpty = 0
        // `@` with a fixed time needs the data's own times.
        let middle = Self.seconds(data.start + 1_800_000)
        let atExpressions = ["node_load @ \(middle)", "rate(http_requests_total[5m] @ \(middle))", "avg_over_time(node_load[10m:] @ \(middle))"]
        for query in comparedExpressions + atExpressions {
            let expr = try PromQL.parse(query)
            for time in instantTimes {
                let theirs = try await peer.get("query", ["query": query, "time": Self.seconds(time)])
                let ourBody = PrometheusJSON.success(try engine.instant(expr, at: time), at: time)
                let ours = Outcome(ourBody)
                expectSame(ours, Outcome(theirs), "\(query) at \(time)")
                // Instant vectors keep evaluation order, which Prometheus randomises only for
                // histogram_quantile and subqueries (Go maps); every other body must be identical.
                if bitExact(query) && !query.hasPrefix("histogram_quantile") && !query.contains(":") {
                    #expect(ourBody == theirs, "\(query) at \(time): JSON differs")
                }
                compared += 1
                nonEmpty += ours.series.isEmpty ? 0 : 1
            }
            for (start, end, step) in ranges where expr.type == .scalar || expr.type == .vector {
                let theirs = try await peer.get(
                    "query_range",
                    ["query": query, "start": Self.seconds(start), "end": Self.seconds(end), "step": Self.seconds(step)]
                )
                let body = PrometheusJSON.success(try engine.range(expr, start: start, end: end, step: step))
                expectSame(Outcome(body), Outcome(theirs), "\(query) over \(start)...\(end) step \(step)")
                // Range results are sorted, so the bodies can be compared byte for byte.
                if bitExact(query) {
                    #expect(body == theirs, "\(query) over \(start)...\(end) step \(step): JSON differs")
                }
                compared += 1
            }
        }
        for query in failingExpressions {
            let theirs = Outcome(try await peer.get("query", ["query": query, "time": Self.seconds(data.end)]))
            let ours: Outcome
            do {
                ours = Outcome(PrometheusJSON.success(try engine.instant(query, at: data.end), at: data.end))
            } catch {
                ours = Outcome(error: error)
            }
            expectSame(ours, theirs, query)
        }
        // Most comparisons must see data, or agreeing would prove little.
        #expect(compared > 600)
        #expect(nonEmpty > 350)
        // Errors too: the same body, byte for byte.
        for query in ["topk(NaN, node_load)", "topk(1e20, node_load)", "bottomk(-Inf, node_load)", "topk(Inf, node_load)", "1e400", "-1e999"] {
            let time = Self.seconds(data.end)
            let theirs = try await peer.get("query", ["query": query, "time": time])
            let ours = PrometheusAPI.query(["query": query, "time": time], engine: engine, now: data.end).body
            #expect(ours == theirs, "\(query): ours \(ours), Prometheus \(theirs)")
        }
        // A range query's parse error has no parameter prefix in Prometheus.
        let end = Self.seconds(data.end)
        let range: [String: String] = ["query": "sum(up", "start": end, "end": end, "step": "60"]
        let theirs = try await peer.get("query_range", range)
        #expect(PrometheusAPI.queryRange(range, engine: engine).body == theirs)
    }

    /// The error body of each invalid query, byte for byte: message and position.
    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func parseErrorBodiesEqualPrometheus() async throws {
        let peer = try await PrometheusPeer.backfilled(openMetrics: "# TYPE z gauge\nz 1 \(Self.dataEnd() / 1000)\n# EOF\n")
        defer { peer.stop() }
        let store = try Store(path: peer.directory.appendingPathComponent("errors.db").path)
        let engine = QueryEngine(reader: store)
        let time = "\(Self.dataEnd() / 1000)"
        #expect(invalidExpressions.count >= 60)
        for query in invalidExpressions {
            let theirs = try await peer.get("query", ["query": query, "time": time])
            let ours = PrometheusAPI.query(["query": query, "time": time], engine: engine, now: Self.dataEnd()).body
            #expect(theirs.contains(#""status":"error""#), "\(query) is accepted by Prometheus")
            #expect(ours == theirs, "\(query): ours \(ours), Prometheus \(theirs)")
        }
    }

    /// Label values beyond ASCII and the regex matchers that tell regex engines apart: `.` over
    /// code points, Unicode-aware classes, composed against decomposed characters, case folding,
    /// set operations RE2 does not have. Every answer must be Prometheus' (RE2 semantics); what
    /// Prometheus refuses, Ballast refuses.
    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func regexMatchersAgreeWithPrometheusOverNonASCIIValues() async throws {
        let values = [
            "abc", "ABC", "é", "e\u{301}", "Straße", "STRASSE", "日本語", "x🙂y", "a.b", "a-b_c", "ǅ", "ſ", "K", "123", "١٢٣", "sp ace", "",
        ]
        let time = Self.dataEnd() / 1000
        var data = "# TYPE word gauge\n"
        for (index, value) in values.enumerated() {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            data += "word{v=\"\(escaped)\",i=\"\(index)\"} \(index) \(time)\n"
        }
        data += "# EOF\n"
        let peer = try await PrometheusPeer.backfilled(openMetrics: data)
        defer { peer.stop() }
        let store = try Store(path: peer.directory.appendingPathComponent("regex.db").path)
        let importer = try BackfillImporter(store: store)
        for (index, value) in values.enumerated() {
            try importer.add(Labels(name: "word", ["v": value, "i": "\(index)"]), Sample(timestamp: time * 1000, value: Double(index)))
        }
        try importer.finish()
        let engine = QueryEngine(reader: store)
        let patterns = [
            ".", "..", "...", ".+", "\\w+", "\\W+", "\\d+", "\\D+", "\\s.*", "[[:alpha:]]+", "[[:upper:]]+", "[[:word:]]+", "\\pL+",
            "\\p{Han}+", "\\p{Greek}*", "\\PL+", "\\p{Nd}+", "(?i)strasse", "(?i)STRASSE", "(?i)straße", "(?i)abc", "(?i)k", "(?i)s",
            "é", "e.", "e\\x{301}", "\\x{e9}", "[é]", "[^a-z]+", "[a-c&&b]+", "x.y", "x..y", "x\\Cy", "a\\.b", "a|abc",
            "(?s:.*)", ".*", "", "sp.ace", "\\S+", "(?U)a.*", "\\141bc", "\\Qa.b\\E", "[\\p{Lu}]+", "(?i)ǆ", "\\b", "ab\\b.*",
            "(?=x)", "\\1", "a++", "(?P<n>a)(?P=n)", "[[:foo:]]", "x{1001}",
        ]
        var agreed = 0
        for pattern in patterns {
            // Backquoted: PromQL takes the pattern as written, escapes and all.
            for query in ["word{v=~`\(pattern)`}", "word{v!~`\(pattern)`}"] {
                let theirs = Outcome(try await peer.get("query", ["query": query, "time": "\(time)"]))
                let ours: Outcome
                do {
                    ours = Outcome(PrometheusJSON.success(try engine.instant(query, at: time * 1000), at: time * 1000))
                } catch {
                    ours = Outcome(error: error)
                }
                #expect((ours.error == nil) == (theirs.error == nil), "\(query): ours \(ours.error ?? "ok"), Prometheus \(theirs.error ?? "ok")")
                #expect(ours.series.keys.sorted() == theirs.series.keys.sorted(), "\(query) selects other values")
                if ours.series.keys.sorted() == theirs.series.keys.sorted() && (ours.error == nil) == (theirs.error == nil) { agreed += 1 }
            }
        }
        #expect(agreed == patterns.count * 2)
        let replaced = #"label_replace(word, "x", "$01|$1|${1}z|$n", "v", "(?P<n>.)(.*)")"#
        let theirs = Outcome(try await peer.get("query", ["query": replaced, "time": "\(time)"]))
        let ours = Outcome(PrometheusJSON.success(try engine.instant(replaced, at: time * 1000), at: time * 1000))
        #expect(ours.series.keys.sorted() == theirs.series.keys.sorted(), "label_replace expands as Go does")
    }

    static func seconds(_ milliseconds: Int64) -> String {
        String(format: "%.3f", Double(milliseconds) / 1000)
    }
}

/// Either a normalised result (label set → points) or an error, from either engine's JSON.
struct Outcome {
    var resultType = ""
    var series: [String: [(Int64, Double)]] = [:]
    var error: String?

    init(_ body: String) {
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        guard json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            error = json["error"] as? String ?? "malformed response"
            return
        }
        resultType = data["resultType"] as? String ?? ""
        switch resultType {
        case "scalar", "string":
            if let point = data["result"] as? [Any] { series[""] = [Self.point(point)] }
        default:
            for item in data["result"] as? [[String: Any]] ?? [] {
                let metric = (item["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                let key = "{" + metric.joined(separator: ",") + "}"
                if let value = item["value"] as? [Any] { series[key] = [Self.point(value)] }
                if let values = item["values"] as? [[Any]] { series[key] = values.map(Self.point) }
            }
        }
    }

    init(error: any Error) {
        self.init(PrometheusJSON.error(error))
    }

    private static func point(_ pair: [Any]) -> (Int64, Double) {
        let time = (pair.first as? NSNumber)?.doubleValue ?? .nan
        let value = GoFloat.parse(pair.last as? String ?? "") ?? .nan
        return (Int64((time * 1000).rounded()), value)
    }
}

func expectSame(_ ours: Outcome, _ theirs: Outcome, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.error == theirs.error, "\(context): error", sourceLocation: sourceLocation)
    #expect(ours.resultType == theirs.resultType, "\(context): result type", sourceLocation: sourceLocation)
    #expect(Set(ours.series.keys) == Set(theirs.series.keys), "\(context): label sets", sourceLocation: sourceLocation)
    for (key, theirPoints) in theirs.series {
        guard let ourPoints = ours.series[key] else { continue }
        let same =
            ourPoints.count == theirPoints.count
            && zip(ourPoints, theirPoints).allSatisfy { ours, theirs in ours.0 == theirs.0 && closeEnough(ours.1, theirs.1) }
        #expect(same, "\(context) \(key): ours \(ourPoints.prefix(8)) theirs \(theirPoints.prefix(8))", sourceLocation: sourceLocation)
    }
}

/// Whether both engines must agree to the last bit: Go's math library and glibc may round
/// transcendental functions (and powers with fractional exponents) differently.
private func bitExact(_ query: String) -> Bool {
    !["exp(", "ln(", "log2(", "log10(", "atan2", "^ node_load", "sin", "cos", "tan", "deg(", "rad("].contains(where: query.contains)
}

/// Equal within 1e-9 relative (or both NaN, or both the same infinity).
private func closeEnough(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return Swift.abs(a - b) <= 1e-9 * Swift.max(Swift.abs(a), Swift.abs(b))
}
