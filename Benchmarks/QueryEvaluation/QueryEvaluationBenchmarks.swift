import Benchmark
import Query
import Store

/// The query engine alone, over series already in memory (no store, no process start): a
/// 24 h range query over 100 series, the issue's "under 50 ms" target, and the instant
/// evaluation a policy repeats every few seconds for a 100-backend pool. `scripts/bench/query.sh`
/// measures the whole `ballast query` against Prometheus in the same run.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]
    let end: Int64 = 1_700_000_000_000
    let day = QueryData.counters(series: 100, end: end, duration: 86_400_000)
    Benchmark(
        "Range query: sum by (job) (rate(x[5m])), 100 series x 24 h, step 60 s",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 100)
    ) { benchmark in
        let engine = QueryEngine(reader: day)
        let expr = try PromQL.parse(#"sum by (job) (rate(bench_requests_total{job="node"}[5m]))"#)
        for _ in benchmark.scaledIterations {
            blackHole(try engine.range(expr, start: end - 86_400_000, end: end, step: 60_000).count)
        }
    }
    Benchmark(
        "Range query: avg_over_time(x[5m]), 100 series out x 24 h, step 60 s",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 100)
    ) { benchmark in
        let engine = QueryEngine(reader: day)
        let expr = try PromQL.parse("avg_over_time(bench_requests_total[5m])")
        for _ in benchmark.scaledIterations {
            blackHole(try engine.range(expr, start: end - 86_400_000, end: end, step: 60_000).count)
        }
    }
    let buckets = QueryData.histograms(backends: 100, end: end, duration: 600_000)
    Benchmark(
        "Instant query: p99 per backend from histogram buckets, 100 backends",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 10_000)
    ) { benchmark in
        let engine = QueryEngine(reader: buckets)
        let expr = try PromQL.parse("histogram_quantile(0.99, sum by (instance, le) (rate(request_duration_seconds_bucket[1m])))")
        for _ in benchmark.scaledIterations {
            guard case .vector(let result) = try engine.instant(expr, at: end) else { continue }
            blackHole(result.count)
        }
    }
}

/// Deterministic series shaped like scraped data: counters growing by irregular steps at 15 s.
enum QueryData {
    static func counters(series: Int, end: Int64, duration: Int64) -> InMemorySeries {
        var reader = InMemorySeries()
        var seed: UInt64 = 42
        for index in 0..<series {
            let labels = Labels(name: "bench_requests_total", ["instance": "host-\(index):9100", "job": "node"])
            var value = 0.0
            var time = end - duration
            while time <= end {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += Double(seed >> 58)
                reader.append(Sample(timestamp: time, value: value), to: labels)
                time += 15_000
            }
        }
        return reader
    }

    static func histograms(backends: Int, end: Int64, duration: Int64) -> InMemorySeries {
        var reader = InMemorySeries()
        let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
        for backend in 0..<backends {
            for (position, bound) in bounds.enumerated() {
                let labels = Labels(name: "request_duration_seconds_bucket", ["instance": "10.0.0.\(backend):8080", "le": bound])
                var time = end - duration
                var count = 0.0
                while time <= end {
                    count += Double(position + 1) * 3
                    reader.append(Sample(timestamp: time, value: count), to: labels)
                    time += 5_000
                }
            }
        }
        return reader
    }
}
