import Foundation
import Store
import TestSupport

/// A deterministic data set that exercises what PromQL semantics hinge on: counters with
/// resets and a late start, gauges that go negative, classic histograms, irregular
/// millisecond timestamps and a gap longer than the lookback delta. It is written both as
/// an OpenMetrics backfill file (for promtool) and as series (for Ballast).
struct ComparisonData {
    let start: Int64
    let end: Int64
    private(set) var series: [SeriesSamples] = []

    /// One hour of data ending at `end` (milliseconds).
    init(end: Int64) {
        self.end = end
        let origin = end - 3_600_000
        self.start = origin
        var random = SplitMix64(seed: 42)
        let instances = ["a", "b", "c"]
        for instance in instances {
            for code in ["200", "500"] {
                let lateStart = instance == "c" && code == "500" ? 1_200_000 : 0
                var value = instance == "b" ? 5000.0 : 0
                addSeries(Labels(name: "http_requests_total", ["instance": instance, "code": code]), every: 15_000, skip: lateStart) { time in
                    value += Double(random.next() % 40) + (code == "200" ? 10 : 0)
                    // Counter resets, as after a process restart.
                    if instance == "a" && (time - origin) % 1_200_000 == 600_000 { value = Double(random.next() % 5) }
                    return value
                }
            }
            addSeries(Labels(name: "node_load", ["instance": instance]), every: 15_000, gap: instance == "b" ? 1_800_000..<2_400_000 : nil) { _ in
                Double(Int64(random.next() % 2000) - 500) / 1000
            }
            var bucketTotals = [Double](repeating: 0, count: 6)
            var sum = 0.0
            let bounds = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]
            var bucketSamples: [[Sample]] = Array(repeating: [], count: bounds.count)
            var sums: [Sample] = []
            var time = start
            while time <= end {
                for _ in 0..<Int(random.next() % 20) {
                    let observation = Double(random.next() % 1500) / 1000
                    sum += observation
                    for (index, bound) in bounds.enumerated() where observation <= (Double(bound) ?? .infinity) { bucketTotals[index] += 1 }
                }
                for index in bounds.indices { bucketSamples[index].append(Sample(timestamp: time, value: bucketTotals[index])) }
                sums.append(Sample(timestamp: time, value: sum))
                time += 15_000
            }
            for (index, bound) in bounds.enumerated() {
                series.append(
                    SeriesSamples(
                        labels: Labels(name: "request_duration_seconds_bucket", ["instance": instance, "le": bound]),
                        samples: bucketSamples[index]
                    )
                )
            }
            series.append(SeriesSamples(labels: Labels(name: "request_duration_seconds_count", ["instance": instance]), samples: bucketSamples[5]))
            series.append(SeriesSamples(labels: Labels(name: "request_duration_seconds_sum", ["instance": instance]), samples: sums))
        }
        for room in ["kitchen", "hall"] {
            var samples: [Sample] = []
            var time = start + Int64(random.next() % 1000)
            while time <= end {
                samples.append(Sample(timestamp: time, value: 18 + Double(random.next() % 800) / 100))
                time += 9_000 + Int64(random.next() % 12_000)
            }
            series.append(SeriesSamples(labels: Labels(name: "temperature", ["instance": "a", "room": room]), samples: samples))
        }
    }

    private mutating func addSeries(_ labels: Labels, every interval: Int64, skip: Int = 0, gap: Range<Int64>? = nil, value: (Int64) -> Double) {
        var samples: [Sample] = []
        var time = start + Int64(skip)
        while time <= end {
            let next = value(time)
            if gap?.contains(time - start) != true { samples.append(Sample(timestamp: time, value: next)) }
            time += interval
        }
        series.append(SeriesSamples(labels: labels, samples: samples))
    }

    /// The OpenMetrics backfill text `promtool tsdb create-blocks-from openmetrics` reads.
    var openMetrics: String {
        var out = ""
        for item in series {
            let name = item.labels.metricName ?? ""
            let rest = item.labels.pairs.filter { $0.name != Labels.metricNameLabel }.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
            for sample in item.samples {
                let seconds = "\(sample.timestamp / 1000).\(String(format: "%03d", sample.timestamp % 1000))"
                out += "\(name){\(rest)} \(sample.value) \(seconds)\n"
            }
        }
        return out + "# EOF\n"
    }
}
