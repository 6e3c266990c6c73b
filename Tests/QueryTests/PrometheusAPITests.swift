import Store
import Testing

@testable import Query

/// One `up` sample at 1700000000.
private var engine: QueryEngine {
    QueryEngine(
        reader: InMemorySeries([SeriesSamples(labels: Labels(name: "up", ["job": "a"]), samples: [Sample(timestamp: 1_700_000_000_000, value: 1)])])
    )
}

@Test func instantQueriesDefaultToNowAndValidateTheTime() {
    let ok = PrometheusAPI.query(["query": "up"], engine: engine, now: 1_700_000_030_000)
    #expect(
        ok
            == .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"value":[1700000030,"1"]}]}}"#
            )
    )
    #expect(
        PrometheusAPI.query(["query": "up", "time": "abc"], engine: engine, now: 0).body
            == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp"}"#
    )
    let missing = PrometheusAPI.query([:], engine: engine, now: 0)
    #expect(missing.status == 400)
    #expect(
        missing.body
            == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: no expression found in input"}"#
    )
    #expect(missing.errorMessage == #"invalid parameter "query": 1:1: parse error: no expression found in input"#)
}

@Test func rangeQueriesCheckParametersInPrometheusOrder() {
    func error(_ parameters: [String: String]) -> String {
        PrometheusAPI.queryRange(parameters, engine: engine).body
    }
    #expect(error(["query": "up", "start": "x", "end": "1", "step": "1"]).contains(#"invalid parameter \"start\": cannot parse \"x\""#))
    #expect(error(["query": "up", "start": "10", "end": "0", "step": "1"]).contains("end timestamp must not be before start time"))
    #expect(error(["query": "up", "start": "0", "end": "1"]).contains(#"invalid parameter \"step\": cannot parse \"\" to a valid duration"#))
    #expect(error(["query": "up", "start": "0", "end": "1", "step": "0"]).contains("zero or negative query resolution step widths"))
    #expect(error(["query": "up", "start": "0", "end": "100000", "step": "1"]).contains("exceeded maximum resolution of 11,000 points"))
    #expect(error(["query": #""a""#, "start": "0", "end": "1", "step": "1"]).contains(#"invalid expression type \"string\" for range query"#))
}

@Test func executionErrorsAre422() {
    let response = PrometheusAPI.query(["query": #"label_replace(up, "a-b", "", "job", "")"#], engine: engine, now: 1_700_000_000_000)
    #expect(response.status == 422)
    #expect(response.body.contains(#""errorType":"execution""#))
}

@Test func aQueryPastItsTimeoutAnswersPrometheusTimeoutError() {
    var stopped = engine
    stopped.timeout = .zero
    let instant = PrometheusAPI.query(["query": "sum(up)"], engine: stopped, now: 1_700_000_030_000)
    #expect(instant.status == 503)
    #expect(instant.body == #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
    let range = PrometheusAPI.queryRange(["query": "up", "start": "1700000000", "end": "1700000060", "step": "15"], engine: stopped)
    #expect(range.status == 503)
    // Without a timeout the same queries answer.
    #expect(PrometheusAPI.query(["query": "sum(up)"], engine: engine, now: 1_700_000_030_000).status == 200)
}

@Test func aCancelledQueryStopsWithPrometheusCanceledError() {
    let cancellation = QueryCancellation()
    var cancellable = engine
    cancellable.cancellation = cancellation
    #expect(PrometheusAPI.query(["query": "sum(up)"], engine: cancellable, now: 1_700_000_030_000).status == 200)
    cancellation.cancel()
    let stopped = PrometheusAPI.query(["query": "sum(up)"], engine: cancellable, now: 1_700_000_030_000)
    #expect(stopped.status == 503)
    #expect(stopped.body == #"{"status":"error","errorType":"canceled","error":"query was canceled: Ballast is shutting down"}"#)
}
