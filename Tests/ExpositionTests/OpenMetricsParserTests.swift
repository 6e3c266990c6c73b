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
            "a 1 -1.5\na 2 0\na 3 1.0009\na 4 1.5\na 5 1520879607.789\n# EOF\n",
            [plain("a", "1", -1500), plain("a", "2", 0), plain("a", "3", 1000), plain("a", "4", 1500), plain("a", "5", 1_520_879_607_789)],
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

    /// Inputs the OpenMetrics data-model rules allow, close to what they forbid.
    private static let validCases3: [ParserCase] = [
        .valid(
            "histogram points at increasing timestamps",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 0 1\nh_bucket{le=\"+Inf\"} 1 1\nh_count 1 1\nh_sum 1 1\nh_bucket{le=\"1\"} 1 2\nh_bucket{le=\"+Inf\"} 2 2\nh_count 2 2\nh_sum 2 2\n# EOF\n",
            [
                json("h_bucket", [("le", "1")], "0", 1000), json("h_bucket", [("le", "+Inf")], "1", 1000), plain("h_count", "1", 1000),
                plain("h_sum", "1", 1000), json("h_bucket", [("le", "1")], "1", 2000), json("h_bucket", [("le", "+Inf")], "2", 2000),
                plain("h_count", "2", 2000), plain("h_sum", "2", 2000),
            ],
            format: .openMetrics
        ),
        .valid(
            "a stateset's states at two timestamps",
            "# TYPE s stateset\ns{s=\"a\"} 1 1\ns{s=\"b\"} 0 1\ns{s=\"a\"} 0 2\ns{s=\"b\"} 1 2\n# EOF\n",
            [
                json("s", [("s", "a")], "1", 1000), json("s", [("s", "b")], "0", 1000), json("s", [("s", "a")], "0", 2000),
                json("s", [("s", "b")], "1", 2000),
            ],
            format: .openMetrics
        ),
        .valid(
            "negative sums and quantile values, as client_golang writes for quantities that can be negative",
            "# TYPE h histogram\nh_bucket{le=\"-1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum -2\nh_count 1\n# TYPE q summary\nq{quantile=\"0.5\"} -1\nq_sum -3\nq_count 2\n# EOF\n",
            [
                json("h_bucket", [("le", "-1")], "1"), json("h_bucket", [("le", "+Inf")], "1"), plain("h_sum", "-2"), plain("h_count", "1"),
                json("q", [("quantile", "0.5")], "-1"), plain("q_sum", "-3"), plain("q_count", "2"),
            ],
            format: .openMetrics
        ),
        .valid(
            "negative thresholds without _sum, and a negative _gsum beside them",
            "# TYPE h histogram\nh_bucket{le=\"-1\"} 0\nh_bucket{le=\"+Inf\"} 1\n# TYPE g gaugehistogram\ng_bucket{le=\"-1\"} 0\ng_bucket{le=\"+Inf\"} 1\ng_gcount 1\ng_gsum -1\n# EOF\n",
            [
                json("h_bucket", [("le", "-1")], "0"), json("h_bucket", [("le", "+Inf")], "1"), json("g_bucket", [("le", "-1")], "0"),
                json("g_bucket", [("le", "+Inf")], "1"), plain("g_gcount", "1"), plain("g_gsum", "-1"),
            ],
            format: .openMetrics
        ),
        .valid(
            "le in any float spelling but +Inf",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"2.0\"} 1\nh_bucket{le=\"1e1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            [
                json("h_bucket", [("le", "1")], "0"), json("h_bucket", [("le", "2.0")], "1"), json("h_bucket", [("le", "1e1")], "1"),
                json("h_bucket", [("le", "+Inf")], "1"),
            ],
            format: .openMetrics
        ),
        .valid(
            "an infinite counter and a NaN quantile",
            "# TYPE c counter\nc_total +Inf\n# TYPE q summary\nq{quantile=\"0.5\"} NaN\n# EOF\n",
            [plain("c_total", "+Inf"), json("q", [("quantile", "0.5")], "NaN")],
            format: .openMetrics
        ),
        .valid(
            "a repeated point without timestamps and equal timestamps",
            "a 1\na 2\nb 1 5\nb 2 5\n# EOF\n",
            [plain("a", "1"), plain("a", "2"), plain("b", "1", 5000), plain("b", "2", 5000)],
            format: .openMetrics
        ),
        .valid(
            "reserved underscore names, which the grammar allows",
            "_a{_b=\"1\"} 1\n# EOF\n",
            [json("_a", [("_b", "1")], "1")],
            format: .openMetrics
        ),
    ]

    /// Exemplars ride on samples named `*_total` or `*_bucket` only: the prose names counters and
    /// buckets, and Prometheus refuses the scrape for any other name, whatever its type.
    private static let exemplarPlacementCases: [ParserCase] = [
        .valid(
            "an exemplar on a gauge whose name ends with _total, which Prometheus reads",
            "# TYPE g_total gauge\ng_total 1 # {a=\"b\"} 1\n# EOF\n",
            [plain("g_total", "1")],
            format: .openMetrics
        ),
        .valid(
            "an exemplar on a gaugehistogram bucket",
            "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 1 # {a=\"b\"} 1\ng_gcount 1\ng_gsum 1\n# EOF\n",
            [json("g_bucket", [("le", "+Inf")], "1"), plain("g_gcount", "1"), plain("g_gsum", "1")],
            format: .openMetrics
        ),
    ]

    private static let exemplarPlacementRejections: [ParserCase] = [
        .invalid(
            "an exemplar on a gauge",
            "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:5",
            "does not support exemplars"
        ),
        .invalid(
            "an exemplar on a histogram _count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1 # {a=\"b\"} 1\nh_sum 1\n# EOF\n",
            format: .openMetrics,
            at: "3:11",
            "does not support exemplars"
        ),
        .invalid(
            "an exemplar on a _created sample",
            "# TYPE c counter\nc_total 1\nc_created 1 # {a=\"b\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "3:13",
            "does not support exemplars"
        ),
    ]

    static let validCases = validCases1 + validCases2 + validCases3 + exemplarPlacementCases

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
        .invalid("a histogram bucket without le", "# TYPE h histogram\nh_bucket 1\n# EOF\n", format: .openMetrics, at: "2:1", "without the le label"),
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
            "without the quantile label"
        ),
        .invalid("a value that is hex", "a 0x1\n# EOF\n", format: .openMetrics, at: "1:3", "invalid value"),
    ]

    /// The OpenMetrics data-model rules, one case each.
    private static let invalidCases3: [ParserCase] = [
        .invalid("a negative counter", "# TYPE c counter\nc_total -1\n# EOF\n", format: .openMetrics, at: "2:9", "must not be negative or NaN"),
        .invalid("a NaN counter", "# TYPE c counter\nc_total NaN\n# EOF\n", format: .openMetrics, at: "2:9", "must not be negative or NaN"),
        .invalid("an info value other than 1", "# TYPE i info\ni_info{a=\"1\"} 2\n# EOF\n", format: .openMetrics, at: "2:15", "value 1"),
        .invalid("a stateset value other than 0 or 1", "# TYPE s stateset\ns{s=\"a\"} 2\n# EOF\n", format: .openMetrics, at: "2:10", "value 0 or 1"),
        .invalid(
            "a stateset sample without its state label",
            "# TYPE s stateset\ns{x=\"a\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "label named after their family"
        ),
        .invalid(
            "a fractional bucket count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\n# EOF\n",
            format: .openMetrics,
            at: "2:21",
            "non-negative integers"
        ),
        .invalid(
            "a negative bucket count",
            "# TYPE h histogram\nh_bucket{le=\"1\"} -1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:18",
            "non-negative integers"
        ),
        .invalid(
            "a fractional histogram count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1.5\nh_sum 1\n# EOF\n",
            format: .openMetrics,
            at: "3:9",
            "non-negative integers"
        ),
        .invalid(
            "decreasing bucket counts",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "3:21",
            "cumulative"
        ),
        .invalid(
            "a +Inf bucket other than _count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n# EOF\n",
            format: .openMetrics,
            at: "3:9",
            "must equal its le=\"+Inf\" bucket"
        ),
        .invalid(
            "_sum without _count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "_sum without _count"
        ),
        .invalid(
            "_count without _sum",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "_count without _sum"
        ),
        .invalid(
            "a histogram point with only _created",
            "# TYPE h histogram\nh_created 1\n# EOF\n",
            format: .openMetrics,
            at: "2:1",
            "no le=\"+Inf\" bucket"
        ),
    ]

    private static let invalidCases4: [ParserCase] = [
        .invalid("a NaN le", "# TYPE h histogram\nh_bucket{le=\"NaN\"} 1\n# EOF\n", format: .openMetrics, at: "2:10", "must not be NaN"),
        .invalid(
            "an infinite le not written +Inf",
            "# TYPE h histogram\nh_bucket{le=\"inf\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:10",
            "le=\"+Inf\""
        ),
        .invalid(
            "a repeated le",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "3:10",
            "a second bucket with le=1"
        ),
        .invalid(
            "unsorted le",
            "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "3:10",
            "le=1 after le=2"
        ),
        .invalid(
            "an le label on _sum",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum{le=\"1\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "4:7",
            "only histogram bucket samples"
        ),
        .invalid("a quantile above 1", "# TYPE q summary\nq{quantile=\"1.5\"} 1\n# EOF\n", format: .openMetrics, at: "2:3", "between 0 and 1"),
        .invalid("a negative summary count", "# TYPE q summary\nq_count -1\n# EOF\n", format: .openMetrics, at: "2:9", "non-negative integers"),
        .invalid("a NaN summary sum", "# TYPE q summary\nq_sum NaN\n# EOF\n", format: .openMetrics, at: "2:7", "_sum must not be NaN"),
        .invalid(
            "a quantile label on the summary count",
            "# TYPE q summary\nq_count{quantile=\"1\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "2:9",
            "only summary quantile samples"
        ),
        .invalid("timestamps going backwards", "a 1 2\na 1 1\n# EOF\n", format: .openMetrics, at: "2:5", "goes backwards"),
        .invalid(
            "interleaved metric points",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1 1\nh_count 1 1\nh_sum 1 1\nh_sum 1 2\nh_count 1 1\n# EOF\n",
            format: .openMetrics,
            at: "6:11",
            "goes backwards"
        ),
        .invalid(
            "a family named like an earlier family's sample",
            "# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n# EOF\n",
            format: .openMetrics,
            at: "3:1",
            "clashes"
        ),
        .invalid(
            "a family whose samples are named like an earlier family",
            "# TYPE a_total gauge\na_total 1\n# TYPE a counter\na_created 1\n# EOF\n",
            format: .openMetrics,
            at: "3:1",
            "earlier family"
        ),
        .invalid(
            "interleaved info series",
            "# TYPE i info\ni_info{a=\"1\"} 1\ni_info{a=\"2\"} 1\ni_info{a=\"1\"} 1\n# EOF\n",
            format: .openMetrics,
            at: "4:1",
            "appeared earlier"
        ),
        .invalidBytes("a byte order mark", [0xEF, 0xBB, 0xBF] + Array("a 1\n# EOF\n".utf8), format: .openMetrics, at: "1:1", "invalid metric name"),
    ]

    static let invalidCases = invalidCases1 + invalidCases2 + invalidCases3 + invalidCases4 + exemplarPlacementRejections

    @Test("valid OpenMetrics input parses to the expected samples", arguments: validCases)
    func validInput(_ testCase: ParserCase) throws {
        try testCase.expectValid()
    }

    @Test("invalid OpenMetrics input is rejected at the offending byte", arguments: invalidCases)
    func invalidInput(_ testCase: ParserCase) {
        testCase.expectRejected()
    }
}
