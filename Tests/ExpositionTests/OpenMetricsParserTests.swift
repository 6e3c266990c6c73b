import Exposition
import Testing

/// OpenMetrics 1.0 text, rule by rule, as shared/testdata/README.md lists its differences from
/// the text format.
@Suite struct OpenMetricsParserTests {
    private static let validCases1: [ParserCase] = [
        .valid("only # EOF", "# EOF\n", [], format: .openMetrics),
        .valid("# EOF without a final line feed", "a 1\n# EOF", [plain("a", "1")], format: .openMetrics),
        .valid(
            "a counter with _total and _created",
            "# TYPE c counter\n# HELP c Requests.\nc_total{a=\"1\"} 3\nc_created{a=\"1\"} 1.5e+09\n# EOF\n",
            [json("c_total", [("a", "1")], "3"), json("c_created", [("a", "1")], "1500000000")],
            format: .openMetrics
        ),
        .valid(
            "float-second timestamps become truncated milliseconds",
            "a 1 1.5\na 2 1.0009\na 3 -1.5\na 4 1520879607.789\na 5 0\n# EOF\n",
            [plain("a", "1", 1500), plain("a", "2", 1000), plain("a", "3", -1500), plain("a", "4", 1_520_879_607_789), plain("a", "5", 0)],
            format: .openMetrics
        ),
        .valid(
            "exemplars do not leak into value or timestamp",
            """
            # TYPE c counter
            c_total 5 # {trace_id="abc"} 1 1.5
            # TYPE h histogram
            h_bucket{le="1"} 1 # {} 0.5
            h_bucket{le="+Inf"} 2 123 # {a="b"} 7
            h_sum 3
            h_count 2
            # EOF

            """,
            [
                plain("c_total", "5"), json("h_bucket", [("le", "1")], "1"), json("h_bucket", [("le", "+Inf")], "2", 123_000), plain("h_sum", "3"),
                plain("h_count", "2"),
            ],
            format: .openMetrics
        ),
        .valid(
            "exemplar labels of exactly 128 characters",
            "# TYPE c counter\nc_total 1 # {a=\"" + String(repeating: "é", count: 127) + "\"} 1\n# EOF\n",
            [plain("c_total", "1")],
            format: .openMetrics
        ),
        .valid(
            "a # inside a quoted label value is not an exemplar",
            "a{x=\"1 # {b=\\\"c\\\"} 2\"} 3\n# EOF\n",
            [json("a", [("x", "1 # {b=\\\"c\\\"} 2")], "3")],
            format: .openMetrics
        ),
        .valid(
            "any other escape keeps its backslash",
            "a{x=\"c:\\\\dir\\q\\t\"} 1\n# EOF\n",
            [json("a", [("x", "c:\\\\dir\\\\q\\\\t")], "1")],
            format: .openMetrics
        ),
    ]

    private static let validCases2: [ParserCase] = [
        .valid(
            "every OpenMetrics type",
            """
            # TYPE g gauge
            g 1
            # TYPE u unknown
            u 2
            # TYPE s stateset
            s{s="a"} 1
            s{s="b"} 0
            # TYPE i info
            i_info{version="1"} 1
            # TYPE gh gaugehistogram
            gh_bucket{le="+Inf"} 3
            gh_gcount 3
            gh_gsum 4
            # TYPE q summary
            q{quantile="0.5"} 1
            q_sum 2
            q_count 3
            q_created 4
            # EOF

            """,
            [
                plain("g", "1"), plain("u", "2"), json("s", [("s", "a")], "1"), json("s", [("s", "b")], "0"),
                json("i_info", [("version", "1")], "1"), json("gh_bucket", [("le", "+Inf")], "3"), plain("gh_gcount", "3"),
                plain("gh_gsum", "4"), json("q", [("quantile", "0.5")], "1"), plain("q_sum", "2"), plain("q_count", "3"), plain("q_created", "4"),
            ],
            format: .openMetrics
        ),
        .valid(
            "a UNIT that is the name's suffix",
            "# TYPE d_seconds gauge\n# UNIT d_seconds seconds\nd_seconds 1\n# EOF\n",
            [plain("d_seconds", "1")],
            format: .openMetrics
        ),
        .valid("HELP with a trailing space and empty text", "# HELP a \na 1\n# EOF\n", [plain("a", "1")], format: .openMetrics),
        .valid(
            "HELP with escapes and UTF-8",
            "# HELP a Ünïcode \\\"quoted\\\" back\\\\slash\\nline\n# TYPE a gauge\na 1\n# EOF\n",
            [plain("a", "1")],
            format: .openMetrics
        ),
        .valid("samples without TYPE are unknown families", "a 1\nb 2\n# EOF\n", [plain("a", "1"), plain("b", "2")], format: .openMetrics),
        .valid(
            "empty label values are kept in the output",
            "a{x=\"\",y=\"1\"} 1\n# EOF\n",
            [json("a", [("x", ""), ("y", "1")], "1")],
            format: .openMetrics
        ),
        .valid(
            "repeated points of one series with timestamps",
            "# TYPE a gauge\na{x=\"1\"} 1 10\na{x=\"1\"} 2 20\na{x=\"2\"} 3 10\n# EOF\n",
            [json("a", [("x", "1")], "1", 10000), json("a", [("x", "1")], "2", 20000), json("a", [("x", "2")], "3", 10000)],
            format: .openMetrics
        ),
        .valid(
            "values: NaN and infinities",
            "a NaN\nb +Inf\nc -Inf\n# EOF\n",
            [plain("a", "NaN"), plain("b", "+Inf"), plain("c", "-Inf")],
            format: .openMetrics
        ),
    ]

    static let validCases = validCases1 + validCases2

    private static let invalidCases1: [ParserCase] = [
        .invalid("an empty body", "", format: .openMetrics, at: "1:1", "missing \"# EOF\""),
        .invalid("no # EOF", "a 1\n", format: .openMetrics, at: "2:1", "missing \"# EOF\""),
        .invalid("a last line that is not # EOF", "a 1\na 2", format: .openMetrics, at: "2:4", "must end with \"# EOF\""),
        .invalid("content after # EOF", "# EOF\na 1\n", format: .openMetrics, at: "2:1", "after \"# EOF\""),
        .invalid("a blank line after # EOF", "# EOF\n\n", format: .openMetrics, at: "2:1", "after \"# EOF\""),
        .invalid("a blank line", "a 1\n\nb 1\n# EOF\n", format: .openMetrics, at: "2:1", "empty line"),
        .invalid("leading whitespace", " a 1\n# EOF\n", format: .openMetrics, at: "1:1", "leading whitespace"),
        .invalid("trailing whitespace", "a 1 \n# EOF\n", format: .openMetrics, at: "1:4", "trailing space"),
        .invalid("two spaces before the value", "a  1\n# EOF\n", format: .openMetrics, at: "1:3", "expected a value"),
        .invalid("a tab as separator", "a\t1\n# EOF\n", format: .openMetrics, at: "1:2", "single space"),
        .invalid("two spaces in a TYPE line", "#  TYPE a gauge\n# EOF\n", format: .openMetrics, at: "1:3", "unknown comment"),
        .invalid("the text-format type untyped", "# TYPE a untyped\n# EOF\n", format: .openMetrics, at: "1:10", "unknown metric type"),
        .invalid("a UNIT that is not the name's suffix", "# UNIT a_bytes seconds\n# EOF\n", format: .openMetrics, at: "1:16", "must end with"),
        .invalid(
            "a unit on an info family",
            "# TYPE i_bytes info\n# UNIT i_bytes bytes\n# EOF\n",
            format: .openMetrics,
            at: "2:16",
            "must not have a unit"
        ),
        .invalid("HELP without text", "# HELP a\n# EOF\n", format: .openMetrics, at: "1:9", "without text"),
        .invalid("an ordinary comment", "# hello\n# EOF\n", format: .openMetrics, at: "1:3", "unknown comment"),
    ]

    private static let invalidCases2: [ParserCase] = [
        .invalid("a NaN timestamp", "a 1 NaN\n# EOF\n", format: .openMetrics, at: "1:5", "invalid timestamp"),
        .invalid("an infinite timestamp", "a 1 +Inf\n# EOF\n", format: .openMetrics, at: "1:5", "invalid timestamp"),
        .invalid("a timestamp beyond int64 milliseconds", "a 1 1e300\n# EOF\n", format: .openMetrics, at: "1:5", "out of range"),
        .invalid(
            "exemplar labels over 128 characters",
            "# TYPE c counter\nc_total 1 # {a=\"" + String(repeating: "x", count: 128) + "\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:11",
            "at most 128"
        ),
        .invalid("an exemplar without labels", "# TYPE c counter\nc_total 1 # 1\n# EOF\n", format: .openMetrics, at: "2:12", "invalid exemplar"),
        .invalid("an exemplar without a value", "# TYPE c counter\nc_total 1 # {}\n# EOF\n", format: .openMetrics, at: "2:15", "exemplar value"),
        .invalid(
            "an invalid exemplar value",
            "# TYPE c counter\nc_total 1 # {} x\n# EOF\n",
            format: .openMetrics,
            at: "2:16",
            "invalid exemplar value"
        ),
        .invalid("interleaved families", "a 1\nb 1\na 2\n# EOF\n", format: .openMetrics, at: "3:1", "interleaved"),
        .invalid(
            "a family's suffixed sample after another family",
            "# TYPE c counter\nc_total 1\nb 1\nc_created 1\n# EOF\n",
            format: .openMetrics,
            at: "4:1",
            "interleaved"
        ),
        .invalid(
            "interleaved series",
            "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "4:1",
            "appeared earlier"
        ),
        .invalid("a counter sample without _total", "# TYPE c counter\nc 1\n# EOF\n", format: .openMetrics, at: "2:1", "does not belong"),
        .invalid("metadata after samples", "# TYPE a gauge\na 1\n# HELP a late\n# EOF\n", format: .openMetrics, at: "3:1", "after its samples"),
        .invalid("a second TYPE line", "# TYPE a gauge\n# TYPE a gauge\n# EOF\n", format: .openMetrics, at: "2:1", "second TYPE"),
        .invalid("a trailing comma in labels", "a{x=\"1\",} 1\n# EOF\n", format: .openMetrics, at: "1:9", "trailing comma"),
        .invalid("a space inside braces", "a{x=\"1\", y=\"2\"} 1\n# EOF\n", format: .openMetrics, at: "1:9", "invalid label name"),
        .invalid("no space after the braces", "a{}1\n# EOF\n", format: .openMetrics, at: "1:4", "single space"),
        .invalid("a histogram bucket without le", "# TYPE h histogram\nh_bucket 1\n# EOF\n", format: .openMetrics, at: "2:1", "without an le label"),
        .invalid(
            "a histogram without a +Inf bucket",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n# TYPE g gauge\ng 1\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "le=\"+Inf\""
        ),
        .invalid(
            "a summary quantile sample without quantile",
            "# TYPE q summary\nq 1\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "without a quantile"
        ),
        .invalid("a value that is hex", "a 0x1\n# EOF\n", format: .openMetrics, at: "1:3", "invalid value"),
    ]

    static let invalidCases = invalidCases1 + invalidCases2

    @Test("valid OpenMetrics input parses to the expected samples", arguments: validCases)
    func validInput(_ testCase: ParserCase) throws {
        try testCase.expectValid()
    }

    @Test("invalid OpenMetrics input is rejected at the offending byte", arguments: invalidCases)
    func invalidInput(_ testCase: ParserCase) {
        testCase.expectRejected()
    }
}
