import Foundation
import Store

// Times a range read through the store's `SeriesReader` API, the query engine's only door into
// the data: every series matching `job="node"` over [FROM_MS, THROUGH_MS], repeated, printing
// the median and the fastest run. Used by scripts/bench/store.sh.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let from = Int64(arguments[2]), let through = Int64(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: store-read DB FROM_MS THROUGH_MS [REPEATS]\n".utf8))
    exit(2)
}
let repeats = arguments.count > 4 ? Int(arguments[4]) ?? 20 : 20
do {
    let store = try Store(path: arguments[1], readOnly: true)
    let matcher = try LabelMatcher("job", .equal, "node")
    var timings: [Double] = []
    var seriesCount = 0
    var sampleCount = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let series = try store.series(matching: [matcher], from: from, through: through)
        timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        seriesCount = series.count
        sampleCount = series.reduce(0) { $0 + $1.samples.count }
    }
    timings.sort()
    let median = timings[timings.count / 2]
    print(
        "series=\(seriesCount) samples=\(sampleCount) median_ms=\(String(format: "%.2f", median)) "
            + "min_ms=\(String(format: "%.2f", timings[0]))"
    )
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
