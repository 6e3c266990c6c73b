import Exposition
import Testing

/// By default the parser accepts what the Prometheus server accepts although the written spec
/// forbids it (the "invalid_strict" cases): a collector stricter than Prometheus would mark a
/// healthy target down. `.specification` (`--strict`) rejects the same inputs.
@Suite struct PrometheusAcceptanceTests {
    static let cases: [ParserCase] = [
        .valid("a HELP line with no name", "# HELP\nx 1\n", [plain("x", "1")]),
        .valid("a TYPE line with no name", "# TYPE\nx 1\n", [plain("x", "1")]),
        .valid(
            "metadata between an OpenMetrics family's samples",
            "# TYPE x gauge\nx{a=\"1\"} 1\n# HELP x late\nx{a=\"2\"} 2\n# EOF\n",
            [json("x", [("a", "1")], "1"), json("x", [("a", "2")], "2")],
            format: .openMetrics
        ),
        .valid(
            "an OpenMetrics histogram with _count but no _sum",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n# EOF\n",
            [json("h_bucket", [("le", "+Inf")], "1"), plain("h_count", "1")],
            format: .openMetrics
        ),
        .valid(
            "fractional OpenMetrics bucket counts",
            "# TYPE h histogram\nh_bucket{le=\"0.005\"} 15.041 1700000000\nh_bucket{le=\"+Inf\"} 16.5 1700000000\n# EOF\n",
            [json("h_bucket", [("le", "0.005")], "15.041", 1_700_000_000_000), json("h_bucket", [("le", "+Inf")], "16.5", 1_700_000_000_000)],
            format: .openMetrics
        ),
        .valid("an info sample not named *_info", "# TYPE i info\ni{a=\"1\"} 1\n# EOF\n", [json("i", [("a", "1")], "1")], format: .openMetrics),
        .valid("a NaN counter", "# TYPE c counter\nc_total NaN\n# EOF\n", [plain("c_total", "NaN")], format: .openMetrics),
        .valid("an undefined escape keeps its backslash", "x{a=\"\\t\"} 1\n", [json("x", [("a", "\\\\t")], "1")]),
        .valid("a missing final line feed", "x 1", [plain("x", "1")]),
        .valid("a second HELP line", "# HELP x a\n# HELP x b\nx 1\n", [plain("x", "1")]),
        .valid("a TYPE line after the samples", "x 1\n# TYPE x gauge\nx 2\n", [plain("x", "1"), plain("x", "2")]),
        .valid("a non-numeric le", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", [json("h_bucket", [("le", "x")], "1")]),
        .valid("a histogram without +Inf", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n", [json("h_bucket", [("le", "1")], "1")]),
        .valid("an undefined escape in HELP", "# HELP x a\\tb\nx 1\n", [plain("x", "1")]),
        .valid(
            "interleaved OpenMetrics families",
            "a 1\nb 1\na 2\n# EOF\n",
            [plain("a", "1"), plain("b", "1"), plain("a", "2")],
            format: .openMetrics
        ),
        .valid(
            "interleaved OpenMetrics series",
            "a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 2\n# EOF\n",
            [json("a", [("x", "1")], "1"), json("a", [("x", "2")], "1"), json("a", [("x", "1")], "2")],
            format: .openMetrics
        ),
        .valid("a negative counter", "# TYPE c counter\nc_total -1\n# EOF\n", [plain("c_total", "-1")], format: .openMetrics),
        .valid("an info value other than 1", "# TYPE i info\ni_info 2\n# EOF\n", [plain("i_info", "2")], format: .openMetrics),
        .valid(
            "unsorted buckets without +Inf",
            "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n# EOF\n",
            [json("h_bucket", [("le", "2")], "1"), json("h_bucket", [("le", "1")], "1")],
            format: .openMetrics
        ),
        .valid(
            "a +Inf bucket other than _count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n# EOF\n",
            [json("h_bucket", [("le", "+Inf")], "2"), plain("h_count", "1"), plain("h_sum", "1")],
            format: .openMetrics
        ),
        .valid("timestamps going backwards", "a 1 2\na 1 1\n# EOF\n", [plain("a", "1", 2000), plain("a", "1", 1000)], format: .openMetrics),
        .valid(
            "a family named like an earlier family's sample",
            "# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n# EOF\n",
            [plain("a_total", "1"), plain("a_created", "1")],
            format: .openMetrics
        ),
    ]

    @Test("the default accepts what Prometheus accepts", arguments: cases)
    func defaultAccepts(_ testCase: ParserCase) throws {
        try testCase.expectValid(options: .prometheus)
    }

    @Test("the written specs reject the same inputs", arguments: cases)
    func specificationRejects(_ testCase: ParserCase) {
        #expect(throws: ExpositionError.self) { try testCase.jsonOutput(options: .specification) }
    }

    @Test("the default still rejects what Prometheus rejects")
    func defaultStillRejects() {
        for text in ["x 0x1\n", "x{a=\"1\",a=\"2\"} 1\n", "x{a=\"\u{FFFD}\n\"} 1\n", "x 1 1.5\n", "# TYPE x COUNTER\nx 1\n", " x 1\n"] {
            let testCase = ParserCase.invalid(text, text, at: "", "")
            #expect(throws: ExpositionError.self, "\(text)") { try testCase.jsonOutput(options: .prometheus) }
        }
    }
}
