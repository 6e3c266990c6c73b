// libFuzzer entry for PromQL (scripts/fuzz.sh promql): each input is parsed and, when it parses,
// evaluated instant and over a short range on a small store of counters, gauges and a histogram.
// Besides not crashing or hanging, the parser must accept its own rendering of what it accepted.
import Foundation
import Query
import Store

// nonisolated(unsafe): libFuzzer calls the entry point from one thread only.
nonisolated(unsafe) private let engine: QueryEngine = {
    let path = NSTemporaryDirectory() + "/promql-fuzz-\(getpid()).db"
    try? FileManager.default.removeItem(atPath: path)
    guard let store = try? Store(path: path), let importer = try? BackfillImporter(store: store) else { fatalError("no fuzz store at \(path)") }
    for instance in ["a:1", "b:2", "é:3"] {
        for step in 0..<40 {
            let time = Int64(1_700_000_000_000 + step * 15_000)
            try? importer.add(
                Labels(name: "http_requests_total", ["instance": instance, "code": "200"]),
                Sample(timestamp: time, value: Double(step * 3))
            )
            try? importer.add(Labels(name: "node_load", ["instance": instance]), Sample(timestamp: time, value: Double(step % 7) / 3))
            for bound in ["0.1", "0.5", "+Inf"] {
                try? importer.add(
                    Labels(name: "latency_bucket", ["instance": instance, "le": bound]),
                    Sample(timestamp: time, value: Double(step * bound.count))
                )
            }
        }
    }
    try? importer.finish()
    return QueryEngine(reader: store)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPromQL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expr = try? PromQL.parse(text) else { return 0 }
    _ = expr.height
    let end: Int64 = 1_700_000_600_000
    _ = try? engine.instant(expr, at: end)
    if expr.type == .vector || expr.type == .scalar {
        _ = try? engine.range(expr, start: end - 300_000, end: end, step: 30_000)
    }
    return 0
}
