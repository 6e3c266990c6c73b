import Benchmark
import Exposition
import ExpositionBenchSupport
import Foundation

/// Parser throughput with full label decoding, and allocations per parse (the target is none per
/// sample). Inputs: the upstream Prometheus benchmark file and a ~50 MB exposition built from it.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    guard let template = try? BenchmarkInputs.exposition("alltypes.237mfs.prom.txt") else {
        print("skipping exposition benchmarks: \(BenchmarkInputs.expositionsDirectory.path) is missing")
        return
    }
    Benchmark(
        "Parse alltypes.237mfs.prom.txt (190 KB, 1857 samples)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(5))
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try LabelDecodingVisitor.parse(template, format: .prometheusText).checksum)
        }
    }
    let large = BenchmarkInputs.large(from: template, minimumBytes: 50_000_000)
    Benchmark(
        "Parse 50 MB text exposition",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 20)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try LabelDecodingVisitor.parse(large, format: .prometheusText).checksum)
        }
    }
}
