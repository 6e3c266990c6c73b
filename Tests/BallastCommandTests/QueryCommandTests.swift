import TestSupport
import Testing

/// `ballast query` prints the Prometheus HTTP API body for data imported with `ballast import`.
@Suite(.enabled(if: BallastProcess.binary != nil, "needs the ballast executable: run swift build --build-tests first"))
struct QueryCommandTests {
    /// A store holding one counter sampled every 15 s from 1700000000 to 1700000060.
    private func store(in scratch: TemporaryDirectory) throws -> String {
        let input = try scratch.write(
            "data.om",
            """
            # TYPE http_requests counter
            http_requests_total{code="200",instance="a"} 10 1700000000
            http_requests_total{code="200",instance="a"} 20 1700000015
            http_requests_total{code="200",instance="a"} 35 1700000030
            http_requests_total{code="200",instance="a"} 40 1700000045
            http_requests_total{code="200",instance="a"} 61 1700000060
            # EOF

            """
        )
        let database = scratch.path + "/ballast.db"
        let imported = try BallastProcess.run(["import", "--db", database, input])
        #expect(imported.status == 0, "\(imported.standardError)")
        return database
    }

    @Test func instantQueryPrintsAVectorBody() throws {
        let scratch = try TemporaryDirectory()
        let database = try store(in: scratch)
        let outcome = try BallastProcess.run(["query", "--db", database, "--time", "1700000060", "rate(http_requests_total[1m])"])
        #expect(outcome.status == 0)
        #expect(
            outcome.standardOutput
                == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200","instance":"a"},"value":[1700000060,"0.85"]}]}}"#
                + "\n"
        )
    }

    @Test func aLongOperatorChainEvaluatesAsPrometheusDoes() throws {
        let scratch = try TemporaryDirectory()
        let database = try store(in: scratch)
        // 12,000 terms overflowed the main thread's stack; Prometheus evaluates it.
        let chain = Array(repeating: "1", count: 12_000).joined(separator: "+")
        let outcome = try BallastProcess.run(["query", "--db", database, "--time", "1700000060", chain])
        #expect(outcome.status == 0, "\(outcome.standardError.prefix(500))")
        #expect(outcome.standardOutput == #"{"status":"success","data":{"resultType":"scalar","result":[1700000060,"12000"]}}"# + "\n")
    }

    @Test func rangeQueryAcceptsRFC3339AndDurations() throws {
        let scratch = try TemporaryDirectory()
        let database = try store(in: scratch)
        let outcome = try BallastProcess.run([
            "query", "--db", database, "--start", "2023-11-14T22:13:20Z", "--end", "1700000060", "--step", "30s", "http_requests_total * 2",
        ])
        #expect(outcome.status == 0)
        #expect(
            outcome.standardOutput
                == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"code":"200","instance":"a"},"values":[[1700000000,"20"],[1700000030,"70"],[1700000060,"122"]]}]}}"#
                + "\n"
        )
    }

    @Test func invalidQueryPrintsTheErrorBodyAndExitsOne() throws {
        let scratch = try TemporaryDirectory()
        let database = try store(in: scratch)
        let outcome = try BallastProcess.run(["query", "--db", database, "--time", "1700000060", "sum(rate(x[5m])))"])
        #expect(outcome.status == 1)
        #expect(
            outcome.standardOutput
                == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:18: parse error: unexpected right parenthesis ')'"}"#
                + "\n"
        )
        #expect(outcome.standardError.contains("1:18: parse error"))
    }

    @Test func incompleteRangeOptionsAreAUsageError() throws {
        let scratch = try TemporaryDirectory()
        let database = try store(in: scratch)
        let outcome = try BallastProcess.run(["query", "--db", database, "--start", "1700000000", "up"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--start, --end and --step"))
    }
}
