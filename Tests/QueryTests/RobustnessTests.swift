import Store
import TestSupport
import Testing

@testable import Query

/// Thousands of random token sequences: each either parses and evaluates, or fails with an
/// error; none may trap (overflow, index out of range) or hang.
@Test func randomQueriesNeverCrashTheParserOrTheEvaluator() throws {
    let vocabulary = [
        "g", "c", "{", "}", "(", ")", "[", "]", ",", "=", "!=", "=~", "!~", "\"a\"", "'.*'", "1", "-1", "0x10", "1e308", "NaN",
        "Inf", "5m", "0s", "1y", "+", "-", "*", "/", "%", "^", "==", ">", "<=", "and", "or", "unless", "atan2", "bool", "on",
        "ignoring", "group_left", "group_right", "by", "without", "offset", "@", ":", "sum", "topk", "quantile", "count_values",
        "rate", "histogram_quantile", "label_replace", "round", "clamp", "hour", "time", "vector", "scalar", "absent", "le", "i",
    ]
    let g = Labels(name: "g", ["i": "1", "le": "+Inf"])
    let c = Labels(name: "c", ["i": "2"])
    let reader = InMemorySeries([
        SeriesSamples(labels: g, samples: (0..<40).map { Sample(timestamp: Int64($0) * 15_000, value: Double($0 % 7) - 2) }),
        SeriesSamples(
            labels: c,
            samples: (0..<40).map { Sample(timestamp: Int64($0) * 15_000, value: $0 == 20 ? Sample.staleMarker(at: 0).value : Double($0)) }
        ),
    ])
    let engine = QueryEngine(reader: reader)
    var random = SplitMix64(seed: 7)
    var parsed = 0
    for _ in 0..<20_000 {
        let length = Int(random.next() % 9) + 1
        let query = (0..<length).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }.joined(separator: " ")
        guard let expr = try? PromQL.parse(query) else { continue }
        parsed += 1
        _ = try? engine.instant(expr, at: 300_000)
        if expr.type == .vector || expr.type == .scalar {
            _ = try? engine.range(expr, start: 0, end: 600_000, step: 45_000)
        }
    }
    // Enough random inputs must be valid for the evaluator to be exercised too.
    #expect(parsed > 500)
}
