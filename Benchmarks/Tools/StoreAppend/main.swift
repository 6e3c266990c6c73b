import Foundation
import Store

// The daemon's write path through `LiveStore`: SERIES series scraped STEPS times, one second of
// simulated time apart, one `appendScrape` transaction per scrape, run twice into fresh files:
//   quiet       appends only;
//   maintained  the same appends while maintenance runs as the daemon runs it (head maintenance
//               every 10 scrapes, retention every 300) and a reader queries the last 5 minutes of
//               every series in a loop.
// Prints, per run, append latency p50/p99/max (the time `appendScrape` takes, waits included),
// the query latency of the reader, and the bytes per sample of the file after a clean close.
// Used by scripts/bench/store.sh.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let seriesCount = Int(arguments[2]), let steps = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: store-append DIR SERIES STEPS\n".utf8))
    exit(2)
}
let directory = arguments[1]
let labels = (0..<seriesCount).map {
    Labels(name: "bench_metric_\($0 % 20)", ["instance": "host-\($0 / 20):9100", "job": "node"])
}
let start: Int64 = 1_704_067_200_000
let seriesPerTransaction = Int(ProcessInfo.processInfo.environment["SERIES_PER_TRANSACTION"] ?? "") ?? 50

/// The value shapes of scripts/bench/store-generate.sh, by family: counters with irregular
/// increments, a wandering gauge with two decimals, a step gauge, a near-constant gauge.
struct Scrapes {
    let labels: [Labels]
    var values: [Double]
    var state: UInt64 = 42

    init(labels: [Labels]) {
        self.labels = labels
        values = labels.indices.map { index in Double(index % 20 % 4 == 0 ? 1_000 * (index / 20) : 50 + index / 20) }
    }

    mutating func next(_ step: Int) -> [LabeledSample] {
        let seriesCount = labels.count
        let time = start + Int64(step) * 1_000
        var scrape: [LabeledSample] = []
        scrape.reserveCapacity(seriesCount)
        for index in 0..<seriesCount {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let random = Double(state >> 11) / Double(1 << 53)
            switch index % 20 % 4 {
            case 0: values[index] += (random * 40).rounded(.down)
            case 1: values[index] = (values[index] * 100 + (random - 0.5) * 200).rounded(.towardZero) / 100
            case 2: if step % 40 == 0 { values[index] = (random * 8).rounded(.down) }
            default: if random < 0.02 { values[index] += 1 }
            }
            scrape.append(LabeledSample(labels: labels[index], sample: Sample(timestamp: time, value: values[index])))
        }
        return scrape
    }
}

func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }

func summary(_ name: String, _ latencies: [UInt64]) -> String {
    guard !latencies.isEmpty else { return "\(name)=none" }
    let sorted = latencies.sorted()
    func at(_ q: Double) -> String { String(format: "%.3f", milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))])) }
    return "\(name)_ms p50=\(at(0.5)) p99=\(at(0.99)) max=\(String(format: "%.3f", milliseconds(sorted.last!))) n=\(sorted.count)"
}

/// A flag the appending task sets when it is done.
final class Done: @unchecked Sendable {
    // @unchecked: one writer sets it once; readers poll; a stale read costs one more query.
    var value = false
}

func run(_ name: String, maintained: Bool) async throws {
    let path = "\(directory)/\(name).db"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let live = try LiveStore(path: path)
    var scrapes = Scrapes(labels: labels)
    let done = Done()
    let appendLatencies = try await withThrowingTaskGroup(of: [UInt64].self) { group in
        if maintained && ProcessInfo.processInfo.environment["NO_READER"] == nil {
            group.addTask {
                var latencies: [UInt64] = []
                while !done.value {
                    let begin = DispatchTime.now().uptimeNanoseconds
                    _ = try live.read { store in
                        try store.series(matching: [LabelMatcher("job", .equal, "node")], from: .min, through: .max).count
                    }
                    latencies.append(DispatchTime.now().uptimeNanoseconds - begin)
                    try await Task.sleep(for: .milliseconds(5))
                }
                return latencies
            }
        }
        var latencies: [UInt64] = []
        for step in 0..<steps {
            let scrape = scrapes.next(step)
            let time = start + Int64(step) * 1_000
            let begin = DispatchTime.now().uptimeNanoseconds
            try await live.writer.appendScrape(target: "bench", samples: scrape, timestamp: time)
            latencies.append(DispatchTime.now().uptimeNanoseconds - begin)
            if maintained && step % 10 == 9 {
                group.addTask {
                    try await live.writer.maintainHead(idleBefore: time - 600_000, seriesPerTransaction: seriesPerTransaction)
                    try await live.passiveCheckpoint()
                    if step % 300 == 299 { _ = try await live.writer.applyRetention(before: time - 86_400_000, maximumBytes: nil) }
                    return []
                }
            }
        }
        done.value = true
        var queryLatencies: [UInt64] = []
        for try await result in group { queryLatencies += result }
        print("\(name): \(summary("query", queryLatencies))")
        return latencies
    }
    try await live.writer.close()
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("\(name): \(summary("append", appendLatencies)) bytes_per_sample=\(String(format: "%.3f", Double(bytes) / Double(seriesCount * steps)))")
}

do {
    try await run("quiet", maintained: false)
    try await run("maintained", maintained: true)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
