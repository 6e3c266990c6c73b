import Store
import Testing

@testable import Query

@Test func vectorBodyMatchesPrometheusByteForByte() {
    let sample = VectorSample(labels: Labels(name: "up", ["job": "a<b"]), value: 0.00001, timestamp: 1_700_000_000_250)
    #expect(
        PrometheusJSON.success(.vector([sample]), at: 1_700_000_000_250)
            == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\u003cb"},"value":[1700000000.250,"0.00001"]}]}}"#
    )
}

@Test func matrixScalarAndStringBodiesUseTheirTimeNotations() {
    let series = MatrixSeries(labels: Labels([]), samples: [Sample(timestamp: 500, value: 1), Sample(timestamp: 1000, value: .infinity)])
    #expect(
        PrometheusJSON.success([series])
            == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0.500,"1"],[1,"+Inf"]]}]}}"#
    )
    #expect(PrometheusJSON.success(.scalar(.nan), at: 1500) == #"{"status":"success","data":{"resultType":"scalar","result":[1.5,"NaN"]}}"#)
    #expect(PrometheusJSON.success(.string("a\"\n"), at: 1050) == #"{"status":"success","data":{"resultType":"string","result":[1.05,"a\"\n"]}}"#)
    #expect(PrometheusJSON.success(.vector([]), at: 0) == #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
}

@Test func errorsCarryPrometheusErrorTypes() throws {
    do {
        _ = try PromQL.parse("sum(x")
    } catch {
        #expect(
            PrometheusJSON.error(error)
                == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unclosed left parenthesis"}"#
        )
    }
    let evaluation = EvaluationError(.execution, "vector cannot contain metrics with the same labelset")
    #expect(
        PrometheusJSON.error(evaluation)
            == #"{"status":"error","errorType":"execution","error":"vector cannot contain metrics with the same labelset"}"#
    )
}
