import Exposition
import ExpositionBenchSupport
import Foundation

// Usage: parse-throughput FILE [--openmetrics] [--copy] [--min-seconds S]
// Prints "ballast FILE: N MB/s (best of 5 batches, B bytes, S samples)". MB are 10^6 bytes, as in
// the Go harness, so the two lines compare directly. By default samples are visited in place
// (every label read); --copy measures the convenient API that copies each sample into Strings.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: parse-throughput FILE [--openmetrics] [--copy] [--min-seconds S]\n".utf8))
    exit(2)
}
let path = arguments[1]
let format: ExpositionFormat = arguments.contains("--openmetrics") ? .openMetrics : .prometheusText
var minimumSeconds = 0.5
if let index = arguments.firstIndex(of: "--min-seconds"), index + 1 < arguments.count, let value = Double(arguments[index + 1]) {
    minimumSeconds = value
}
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
let copying = arguments.contains("--copy")
/// One pass; returns the number of samples.
func parseOnce() throws -> Int {
    if copying { return try ExpositionParser.samples(in: bytes, format: format).count }
    return try LabelDecodingVisitor.parse(bytes, format: format).samples
}
let sampleCount = try parseOnce()
let clock = ContinuousClock()
var iterations = 1
while true {
    let elapsed = try clock.measure { for _ in 0..<iterations { _ = try parseOnce() } }
    if elapsed >= .milliseconds(Int(minimumSeconds * 200)) { break }
    iterations *= 2
}
var best = Double.infinity
for _ in 0..<5 {
    let elapsed = try clock.measure { for _ in 0..<iterations { _ = try parseOnce() } }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    best = min(best, seconds / Double(iterations))
}
let megabytesPerSecond = Double(bytes.count) / best / 1e6
print(
    "ballast\(copying ? " (copied samples)" : "") \(URL(fileURLWithPath: path).lastPathComponent): \(String(format: "%.1f", megabytesPerSecond)) MB/s"
        + " (\(String(format: "%.1f", best * 1e6)) µs per pass, \(bytes.count) bytes, \(sampleCount) samples)"
)
