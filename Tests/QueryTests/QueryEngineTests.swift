import Store
import Testing

@testable import Query

private func engine(_ series: [(Labels, [(Int64, Double)])]) -> QueryEngine {
    QueryEngine(reader: InMemorySeries(series.map { SeriesSamples(labels: $0.0, samples: $0.1.map { Sample(timestamp: $0.0, value: $0.1) }) }))
}

private func values(_ value: Value) -> [String: Double] {
    guard case .vector(let vector) = value else { return [:] }
    return Dictionary(vector.map { ($0.labels.description, $0.value) }, uniquingKeysWith: { first, _ in first })
}

private let stale = Sample.staleMarker(at: 0).value

@Test func staleMarkerEndsASeriesForInstantSelectors() throws {
    let up = Labels(name: "up", ["job": "a"])
    let engine = engine([(up, [(0, 1), (15_000, 1), (30_000, stale)])])
    #expect(values(try engine.instant("up", at: 20_000)) == [#"up{job="a"}"#: 1])
    #expect(values(try engine.instant("up", at: 30_000)).isEmpty)
    #expect(values(try engine.instant("up", at: 100_000)).isEmpty)
    // Range functions skip the marker but keep the samples before it.
    #expect(values(try engine.instant("count_over_time(up[1m])", at: 45_000)) == [#"{job="a"}"#: 2])
}

@Test func lookbackIncludesASampleExactlyFiveMinutesOld() throws {
    let engine = engine([(Labels(name: "g"), [(0, 7)])])
    #expect(values(try engine.instant("g", at: 300_000)) == ["g{}": 7])
    #expect(values(try engine.instant("g", at: 300_001)).isEmpty)
    #expect(values(try engine.instant("g offset 1m", at: 360_000)) == ["g{}": 7])
}

@Test func rangeSelectorIncludesBothEnds() throws {
    let engine = engine([(Labels(name: "c"), [(0, 0), (30_000, 30), (60_000, 60)])])
    #expect(values(try engine.instant("count_over_time(c[1m])", at: 60_000)) == ["{}": 3])
    // Every sample sits on the range's edges, so there is no extrapolation: 60 over 60 s.
    #expect(values(try engine.instant("rate(c[1m])", at: 60_000)) == ["{}": 1])
}

@Test func rateExtrapolatesCountersNoFurtherThanZero() throws {
    // First sample 40 s after the range starts, counter at 10 after 30 s of slope 1/s: the zero
    // point is 10 s before the first sample, so extrapolation stops there.
    let engine = engine([(Labels(name: "c"), [(40_000, 10), (70_000, 40), (100_000, 70)])])
    let increase = values(try engine.instant("increase(c[100s])", at: 100_000))["{}"]
    #expect(increase == 60 * (60.0 + 10) / 60)
}

@Test func counterResetsAddThePreviousValue() throws {
    let engine = engine([(Labels(name: "c"), [(0, 50), (15_000, 60), (30_000, 5), (45_000, 15), (60_000, 25)])])
    // 10, then 5 counted from zero after the reset, then 10 and 10: 35 over exactly the range.
    #expect(values(try engine.instant("increase(c[1m])", at: 60_000)) == ["{}": 35])
    #expect(values(try engine.instant("resets(c[1m])", at: 60_000)) == ["{}": 1])
}

@Test func rangeQueriesStepFromStartThroughEndAndSortSeries() throws {
    let engine = engine([
        (Labels(name: "g", ["i": "b"]), [(0, 1), (60_000, 2)]),
        (Labels(name: "g", ["i": "a"]), [(0, 3)]),
    ])
    let result = try engine.range("g", start: 0, end: 60_000, step: 30_000)
    #expect(result.map(\.labels.description) == [#"g{i="a"}"#, #"g{i="b"}"#])
    #expect(result[0].samples.map(\.timestamp) == [0, 30_000, 60_000])
    #expect(result[1].samples.map(\.value) == [1, 1, 2])
}

@Test func rangeQueriesRejectWhatPrometheusRejects() {
    let engine = engine([])
    #expect(throws: EvaluationError.self) { try engine.range("1", start: 10, end: 0, step: 1) }
    #expect(throws: EvaluationError.self) { try engine.range("1", start: 0, end: 10, step: 0) }
    #expect(throws: EvaluationError.self) { try engine.range("1", start: 0, end: 20_000_000, step: 1) }
    #expect(throws: EvaluationError.self) { try engine.range(#""text""#, start: 0, end: 10, step: 1) }
}

@Test func functionsDropTheMetricNameAndDuplicatesAreRefused() throws {
    let engine = engine([(Labels(name: "a", ["i": "1"]), [(0, -1)]), (Labels(name: "b", ["i": "1"]), [(0, 2)])])
    #expect(values(try engine.instant(#"abs(a)"#, at: 0)) == [#"{i="1"}"#: 1])
    #expect(values(try engine.instant(#"last_over_time(a[1m])"#, at: 0)) == [#"a{i="1"}"#: -1])
    #expect(throws: EvaluationError(.execution, "vector cannot contain metrics with the same labelset")) {
        try engine.instant(#"abs({__name__=~"a|b"})"#, at: 0)
    }
}

@Test func parsedExpressionsAreReusedAcrossEvaluations() throws {
    let engine = engine([(Labels(name: "g"), [(0, 1), (10_000, 2), (20_000, 4)])])
    let expr = try PromQL.parse("g * 10")
    #expect([0, 10_000, 20_000].map { values((try? engine.instant(expr, at: $0)) ?? .vector([]))["{}"] } == [10, 20, 40])
}

@Test func topkKeepsNamesAndOrdersByValue() throws {
    let engine = engine([
        (Labels(name: "g", ["i": "a"]), [(0, 1)]), (Labels(name: "g", ["i": "b"]), [(0, 3)]), (Labels(name: "g", ["i": "c"]), [(0, 2)]),
    ])
    guard case .vector(let top) = try engine.instant("topk(2, g)", at: 0) else {
        Issue.record("expected a vector")
        return
    }
    #expect(top.map(\.labels.description) == [#"g{i="b"}"#, #"g{i="c"}"#])
    #expect(values(try engine.instant(#"count_values("v", g)"#, at: 0)) == [#"{v="1"}"#: 1, #"{v="2"}"#: 1, #"{v="3"}"#: 1])
}

@Test func extremeTimesAndDurationsAreErrorsNotTraps() throws {
    let engine = engine([(Labels(name: "g"), [(0, 1)])])
    #expect(throws: EvaluationError.self) { try engine.instant("g", at: .min) }
    #expect(throws: EvaluationError.self) { try engine.range("g", start: .min, end: .max, step: .max) }
    #expect(throws: ParseError.self) { try PromQL.parse("g offset 300y") }
    #expect(throws: ParseError.self) { try PromQL.parse("rate(g[100000000000000000y])") }
    #expect(values(try engine.instant("g offset -292y", at: 0)).isEmpty)
    // As Prometheus 2.42: a k beyond int64 is an execution error, not a trap or an empty result.
    #expect(throws: EvaluationError(.execution, "Scalar value -1e+300 overflows int64")) { try engine.instant("topk(-1e300, g)", at: 0) }
    #expect(APITime.parseTime("1e300") == nil)
}

@Test func labelReplaceExpandsGroupsLikeGo() throws {
    let engine = engine([(Labels(name: "g", ["instance": "web-7:9100"]), [(0, 1)])])
    let query = #"label_replace(g, "host", "${name}/$2/${-1}/$$/$9", "instance", "(?P<name>[a-z]+)-([0-9]+):.*")"#
    guard case .vector(let result) = try engine.instant(query, at: 0) else { return }
    #expect(result.first?.labels["host"] == "web/7//$/")
}

@Test func queriesReadingMoreThanTheSampleLimitFail() throws {
    // A sample every 10 s: the lookback reads 31 of them, a 10-minute range 61.
    let series = SeriesSamples(labels: Labels(name: "g"), samples: (0..<100).map { Sample(timestamp: Int64($0) * 10_000, value: 1) })
    let engine = QueryEngine(reader: InMemorySeries([series]), sampleLimit: 50)
    #expect(values(try engine.instant("g", at: 990_000)) == ["g{}": 1])
    #expect(throws: EvaluationError.self) { try engine.instant("count_over_time(g[10m])", at: 990_000) }
}
