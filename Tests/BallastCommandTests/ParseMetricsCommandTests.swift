import TestSupport
import Testing

/// `ballast parse-metrics` prints one JSON object per sample, or nothing and a positioned error.
@Suite(.enabled(if: BallastProcess.binary != nil, "needs the ballast executable: run swift build --build-tests first"))
struct ParseMetricsCommandTests {
    @Test func printsOneJSONObjectPerSampleInInputOrder() throws {
        let input = """
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000
            rpc_duration_seconds{quantile="0.5"} 4.773e+03
            weird{path="a\\"b\\\\c\\nd"} -Inf

            """
        let outcome = try BallastProcess.run(["parse-metrics", "-"], input: input)
        #expect(outcome.status == 0)
        #expect(
            outcome.standardOutput.split(separator: "\n") == [
                #"{"name":"http_requests_total","labels":{"method":"post","code":"200"},"value":"1027","timestamp_ms":1395066363000}"#,
                #"{"name":"http_requests_total","labels":{"method":"post","code":"400"},"value":"3","timestamp_ms":1395066363000}"#,
                #"{"name":"rpc_duration_seconds","labels":{"quantile":"0.5"},"value":"4773","timestamp_ms":null}"#,
                #"{"name":"weird","labels":{"path":"a\"b\\c\nd"},"value":"-Inf","timestamp_ms":null}"#,
            ]
        )
    }

    @Test func openMetricsTimestampsAreSecondsTruncatedToMilliseconds() throws {
        let input = "# TYPE a gauge\na 1.5 1520879607.7896\n# EOF\n"
        let outcome = try BallastProcess.run(["parse-metrics", "--openmetrics", "-"], input: input)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == #"{"name":"a","labels":{},"value":"1.5","timestamp_ms":1520879607789}"# + "\n")
    }

    @Test func autoDetectsOpenMetricsFromTheEOFMarker() throws {
        let input = "a_total 1 10\n# EOF\n"
        let outcome = try BallastProcess.run(["parse-metrics", "--auto", "-"], input: input)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains(#""timestamp_ms":10000"#))
    }

    @Test func countPrintsOnlyTheNumberOfSamples() throws {
        let outcome = try BallastProcess.run(["parse-metrics", "--count", "-"], input: "a 1\nb 2\n")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == "samples=2\n")
    }

    @Test func anInvalidLineFailsTheWholeExpositionWithItsPositionAndNoSamples() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad.prom", "good 1\nbad{l=\"v\"} 0x1\n")
        let outcome = try BallastProcess.run(["parse-metrics", file])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.hasPrefix("\(file):2:"))
    }

    @Test func aMissingFileIsInvalidInput() throws {
        let outcome = try BallastProcess.run(["parse-metrics", "/nonexistent/metrics.prom"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("/nonexistent/metrics.prom"))
    }

    @Test func strictRefusesWhatTheSpecForbidsAndTheDefaultAccepts() throws {
        let input = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"
        let prometheus = try BallastProcess.run(["parse-metrics", "--count", "-"], input: input)
        #expect(prometheus.status == 0)
        #expect(prometheus.standardOutput == "samples=2\n")
        let strict = try BallastProcess.run(["parse-metrics", "--strict", "-"], input: input)
        #expect(strict.status == 1)
        #expect(strict.standardOutput.isEmpty)
        #expect(strict.standardError.hasPrefix("<stdin>:"))
        #expect(strict.standardError.contains("+Inf"))
    }

    @Test func lenientIsStillAcceptedAsTheDefault() throws {
        let outcome = try BallastProcess.run(["parse-metrics", "--lenient", "--count", "-"], input: "x{a=\"\\t\"} 1\n")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == "samples=1\n")
        #expect(try BallastProcess.run(["parse-metrics", "--lenient", "--strict", "-"], input: "x 1\n").status == 2)
    }
}
