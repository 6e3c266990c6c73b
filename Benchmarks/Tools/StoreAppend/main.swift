import Foundation
import Store

// The daemon's write path: SERIES series scraped STEPS times 15 s apart, one `appendScrape`
// transaction per scrape, the head compacting whole blocks as it goes, then a final flush.
// Prints the append rate and the bytes per sample of the file, with the pages the head used
// and packed. Used by scripts/bench/store.sh.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let seriesCount = Int(arguments[2]), let steps = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: store-append DB SERIES STEPS\n".utf8))
    exit(2)
}
let path = arguments[1]
do {
    let store = try Store(path: path)
    let labels = (0..<seriesCount).map {
        Labels(name: "bench_metric_\($0 % 20)", ["instance": "host-\($0 / 20):9100", "job": "node"])
    }
    // The value shapes of scripts/bench/store-generate.sh, by family: counters with irregular
    // increments, a wandering gauge with two decimals, a step gauge, a near-constant gauge.
    var values: [Double] = (0..<seriesCount).map { index in
        let instance = index / 20
        return Double(index % 20 % 4 == 0 ? 1_000 * instance : 50 + instance)
    }
    var state: UInt64 = 42
    let start = DispatchTime.now().uptimeNanoseconds
    for step in 0..<steps {
        let time = 1_704_067_200_000 + Int64(step) * 15_000
        var scrape: [LabeledSample] = []
        scrape.reserveCapacity(seriesCount)
        for index in 0..<seriesCount {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let random = Double(state >> 11) / Double(1 << 53)
            switch index % 20 % 4 {
            case 0: values[index] += (random * 40).rounded(.down)
            case 1:
                let cents: Double = values[index] * 100 + (random - 0.5) * 200
                values[index] = cents.rounded(.towardZero) / 100
            case 2: if step % 40 == 0 { values[index] = (random * 8).rounded(.down) }
            default: if random < 0.02 { values[index] += 1 }
            }
            scrape.append(LabeledSample(labels: labels[index], sample: Sample(timestamp: time, value: values[index])))
        }
        try store.appendScrape(target: "bench", samples: scrape, timestamp: time)
    }
    try store.compact(flushAll: true)
    try store.checkpoint()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let samples = Double(seriesCount * steps)
    func bytesPerSample() -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return String(format: "%.3f", Double(bytes) / samples)
    }
    let withHeadPages = bytesPerSample()
    // The pages the head's raw rows used stay in the file for the next blocks; packing shows
    // what the chunks themselves take.
    try store.vacuum()
    print(
        "appended=\(seriesCount * steps) seconds=\(String(format: "%.2f", seconds)) "
            + "samples_per_s=\(Int(samples / seconds)) bytes_per_sample=\(withHeadPages) "
            + "packed_bytes_per_sample=\(bytesPerSample())"
    )
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
