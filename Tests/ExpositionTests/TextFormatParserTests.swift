import Exposition
import Testing

/// The Prometheus text format (0.0.4 and 1.0.0 quoted names), rule by rule, as
/// shared/testdata/README.md lists them: every valid case's samples, every invalid case's position.
@Suite struct TextFormatParserTests {
    private static let validCases0: [ParserCase] = [
        .valid(
            "a sample with labels and a timestamp",
            "http_requests_total{code=\"200\",method=\"post\"} 1027 1395066363000\n",
            [json("http_requests_total", [("code", "200"), ("method", "post")], "1027", 1_395_066_363_000)]
        ),
        .valid("an empty exposition", "", []),
        .valid("empty lines are ignored", "\n\nx 1\n\n", [plain("x", "1")]),
        .valid("trailing blanks and tabs, and lines of blanks, are ignored", "x \t 1 \t \n \t \n", [plain("x", "1")]),
        .valid("blanks before a comment or metadata are ignored", " \t# a comment\n  # TYPE x gauge\nx 1\n", [plain("x", "1")]),
        .valid("tokens separated by runs of blanks and tabs", "x\t \t{a=\"b\"}  \t 2 \t 3\n", [json("x", [("a", "b")], "2", 3)]),
        .valid("a line of blanks without a final line feed", "x 1\n  \t", [plain("x", "1")]),
        .valid("comments are ignored", "# a comment\n#\n#HELPER x\n# EOF\nx 1\n", [plain("x", "1")]),
        .valid("a comment may hold a CR", "# comment\r\nx 1\n", [plain("x", "1")]),
    ]

    private static let validCases1: [ParserCase] = [
        .valid(
            "HELP and TYPE lines are metadata, not samples",
            "# HELP x Some \\\\ help\\n text\n# TYPE x counter\nx 1\n",
            [plain("x", "1")]
        ),
        .valid("HELP and TYPE without a blank after the #", "#HELP x text\n#TYPE x gauge\nx 1\n", [plain("x", "1")]),
        .valid("HELP with empty text", "# HELP x\n# TYPE x gauge\nx 1\n", [plain("x", "1")]),
        .valid("HELP after the samples", "x 1\n# HELP x late\n", [plain("x", "1")]),
        .valid(
            "every text-format type",
            "# TYPE a counter\na 1\n# TYPE b gauge\nb 2\n# TYPE c untyped\nc 3\n# TYPE d summary\nd_sum 1\nd_count 1\n",
            [plain("a", "1"), plain("b", "2"), plain("c", "3"), plain("d_sum", "1"), plain("d_count", "1")]
        ),
        .valid("empty braces", "x{} 1\n", [plain("x", "1")]),
        .valid("a trailing comma in braces", "x{a=\"1\",} 1\n", [json("x", [("a", "1")], "1")]),
        .valid(
            "blanks inside braces and before them",
            "x { a = \"1\" , b=\"2\" , } 1\n",
            [json("x", [("a", "1"), ("b", "2")], "1")]
        ),
    ]

    private static let validCases2: [ParserCase] = [
        .valid("a value right after the closing brace", "x{}-Inf\nx{a=\"b\"}2\n", [plain("x", "-Inf"), json("x", [("a", "b")], "2")]),
        .valid(
            "Go ParseFloat special values in any case",
            "a NaN\nb nan\nc +Inf\nd Inf\ne -Inf\nf inf\ng INF\nh infinity\ni -Infinity\nj nAn\n",
            [
                plain("a", "NaN"), plain("b", "NaN"), plain("c", "+Inf"), plain("d", "+Inf"), plain("e", "-Inf"),
                plain("f", "+Inf"), plain("g", "+Inf"), plain("h", "+Inf"), plain("i", "-Inf"), plain("j", "NaN"),
            ]
        ),
        .valid(
            "Go ParseFloat decimal forms",
            "a .5\nb 5.\nc 1E3\nd 0042\ne -0\nf +5\ng 1e-05\nh 1.5e+300\ni 2.5E-3\nj 1e-400\n",
            [
                plain("a", "0.5"), plain("b", "5"), plain("c", "1000"), plain("d", "42"), plain("e", "-0"),
                plain("f", "5"), plain("g", "1e-05"), plain("h", "1.5e+300"), plain("i", "0.0025"), plain("j", "0"),
            ]
        ),
        .valid(
            "long decimals round correctly",
            "a 1.7976931348623157e308\nb 4.9e-324\nc 123456789012345678901234567890\nd 0.1000000000000000055511151231257827\n",
            [plain("a", "1.7976931348623157e+308"), plain("b", "5e-324"), plain("c", "1.2345678901234568e+29"), plain("d", "0.1")]
        ),
        .valid(
            "timestamps: negative, signed and the int64 limits",
            "a 1 -5\nb 1 +7\nc 1 9223372036854775807\nd 1 -9223372036854775808\n",
            [plain("a", "1", -5), plain("b", "1", 7), plain("c", "1", Int64.max), plain("d", "1", Int64.min)]
        ),
        .valid(
            "a quoted UTF-8 metric name first in the braces",
            "{\"my.metric\",\"label.name\"=\"v\"} 1\n",
            [json("my.metric", [("label.name", "v")], "1")]
        ),
        .valid(
            "a quoted metric name anywhere in the braces",
            "{a=\"1\", \"my.metric\" ,b=\"2\"} 1\n{c=\"3\",\"other.metric\"} 2\n",
            [json("my.metric", [("a", "1"), ("b", "2")], "1"), json("other.metric", [("c", "3")], "2")]
        ),
        .valid(
            "quoted label names on a plain metric, with escapes",
            "x{\"läbel \\\"q\\\"\"=\"v\"} 1\n",
            [json("x", [("läbel \\\"q\\\"", "v")], "1")]
        ),
    ]

    private static let validCases3: [ParserCase] = [
        .valid(
            "HELP and TYPE with quoted names",
            "# HELP \"my.metric\" help\n# TYPE \"my.metric\" counter\n{\"my.metric\"} 1\n",
            [plain("my.metric", "1")]
        ),
        .valid(
            "label value escapes",
            "x{a=\"back\\\\slash\",b=\"quo\\\"te\",c=\"line\\nfeed\"} 1\n",
            [json("x", [("a", "back\\\\slash"), ("b", "quo\\\"te"), ("c", "line\\nfeed")], "1")]
        ),
        .valid(
            "braces, hash, comma and equals inside quotes are ordinary",
            "x{a=\"}#,= {\"} 1\n",
            [json("x", [("a", "}#,= {")], "1")]
        ),
        .valid("empty label values are kept", "x{a=\"\",b=\"1\"} 1\n", [json("x", [("a", ""), ("b", "1")], "1")]),
        .validBytes(
            "label values hold any UTF-8, NUL and CR included",
            Array("x{a=\"".utf8) + [0x00, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x0D] + Array("\"} 1\n".utf8),
            [json("x", [("a", "\\u0000é😀\\r")], "1")]
        ),
        .valid(
            "a histogram with sorted buckets ending in +Inf",
            "# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n",
            [
                json("h_bucket", [("le", "0.5")], "1"), json("h_bucket", [("le", "1")], "2"),
                json("h_bucket", [("le", "+Inf")], "3"), plain("h_sum", "4"), plain("h_count", "3"),
            ]
        ),
        .valid(
            "a whole histogram repeated, as repeated series are allowed",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n",
            [
                json("h_bucket", [("le", "1")], "1"), json("h_bucket", [("le", "+Inf")], "1"), json("h_bucket", [("le", "1")], "1"),
                json("h_bucket", [("le", "+Inf")], "1"),
            ]
        ),
        .valid(
            "histogram series identified by their other labels, in any label order",
            """
            # TYPE h histogram
            h_bucket{a="1",le="1"} 1
            h_bucket{le="+Inf",a="1"} 1
            h_bucket{a="2",le="+Inf"} 1
            h_sum{a="2"} 1
            h_count{a="2"} 1

            """,
            [
                json("h_bucket", [("a", "1"), ("le", "1")], "1"), json("h_bucket", [("le", "+Inf"), ("a", "1")], "1"),
                json("h_bucket", [("a", "2"), ("le", "+Inf")], "1"), json("h_sum", [("a", "2")], "1"), json("h_count", [("a", "2")], "1"),
            ]
        ),
        .valid(
            "a summary with quantiles",
            "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.99\"} 2\ns_sum 3\ns_count 4\n",
            [json("s", [("quantile", "0.5")], "1"), json("s", [("quantile", "0.99")], "2"), plain("s_sum", "3"), plain("s_count", "4")]
        ),
    ]

    private static let validCases4: [ParserCase] = [
        .valid("repeated identical series, once per line", "x 1\nx 1\n", [plain("x", "1"), plain("x", "1")]),
        .valid("lines of one metric need not be grouped", "a 1\nb 2\na 3\n", [plain("a", "1"), plain("b", "2"), plain("a", "3")]),
        .valid("metric names with colons and underscores", "_a:b_c:9 1\n:x 2\n", [plain("_a:b_c:9", "1"), plain(":x", "2")]),
        .valid("label names starting with two underscores", "x{__meta=\"1\"} 1\n", [json("x", [("__meta", "1")], "1")]),
    ]

    static let validCases: [ParserCase] = validCases0 + validCases1 + validCases2 + validCases3 + validCases4

    private static let invalidCases0: [ParserCase] = [
        // The spec ignores leading whitespace, but the Prometheus server refuses such a scrape.
        .invalid("blanks before a sample", " \t x 1\n", at: "1:1", "leading whitespace"),
        .invalid("blanks before braces", "  {a=\"1\"} 1\n", at: "1:1", "leading whitespace"),
        .invalid("a CRLF line ending", "x 1\r\n", at: "1:3", "invalid value"),
        .invalid("a CR in a TYPE line", "# TYPE x counter\r\nx 1\n", at: "1:10", "unknown metric type"),
        .invalid("a last line without a line feed", "x 1", at: "1:4", "line feed"),
        .invalid("a hex value", "x 0x1\n", at: "1:3", "invalid value"),
        .invalid("a hex float value", "x 0x1p-3\n", at: "1:3", "invalid value"),
        .invalid("a binary value", "x 0b1\n", at: "1:3", "invalid value"),
        .invalid("an octal value", "x 0o1\n", at: "1:3", "invalid value"),
        .invalid("an underscore in a value", "x 1_2\n", at: "1:3", "invalid value"),
    ]

    private static let invalidCases1: [ParserCase] = [
        .invalid("a word as value", "x true\n", at: "1:3", "invalid value"),
        .invalid("a signed NaN", "x +NaN\n", at: "1:3", "invalid value"),
        .invalid("a truncated infinity", "x infin\n", at: "1:3", "invalid value"),
        .invalid("an exponent without digits", "x 1e\n", at: "1:3", "invalid value"),
        .invalid("a lone dot", "x .\n", at: "1:3", "invalid value"),
        .invalid("a value that overflows float64", "x 1e400\n", at: "1:3", "invalid value"),
        .invalid("a missing value", "x\n", at: "1:2", "missing value"),
        .invalid("a missing value after labels", "x{a=\"b\"}\n", at: "1:9", "missing value"),
    ]

    private static let invalidCases2: [ParserCase] = [
        .invalid("a value glued to the name", "x-1\n", at: "1:2", "invalid character"),
        .invalid("a fractional timestamp", "x 1 1.5\n", at: "1:5", "invalid timestamp"),
        .invalid("an overflowing timestamp", "x 1 9223372036854775808\n", at: "1:5", "invalid timestamp"),
        .invalid("a text timestamp", "x 1 NaN\n", at: "1:5", "invalid timestamp"),
        .invalid("text after the timestamp", "x 1 2 3\n", at: "1:7", "after the timestamp"),
        .invalid("an exemplar in the text format", "x 1 # {a=\"b\"} 1\n", at: "1:5", "invalid timestamp"),
        .invalidBytes(
            "invalid UTF-8 in a label value",
            Array("x{a=\"".utf8) + [0xFF] + Array("\"} 1\n".utf8),
            at: "1:6",
            "invalid UTF-8"
        ),
        .invalidBytes(
            "an overlong UTF-8 sequence",
            Array("x{a=\"".utf8) + [0xC0, 0xAF] + Array("\"} 1\n".utf8),
            at: "1:6",
            "invalid UTF-8"
        ),
    ]

    private static let invalidCases3: [ParserCase] = [
        .invalidBytes(
            "a UTF-16 surrogate encoded in UTF-8",
            Array("x{a=\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"} 1\n".utf8),
            at: "1:6",
            "invalid UTF-8"
        ),
        .invalidBytes(
            "a truncated UTF-8 sequence",
            Array("x{a=\"".utf8) + [0xE2, 0x82] + Array("\"} 1\n".utf8),
            at: "1:6",
            "invalid UTF-8"
        ),
        .invalid("an undefined escape in a label value", "x{a=\"\\t\"} 1\n", at: "1:6", "invalid escape"),
        .invalid("a raw line feed inside quotes", "x{a=\"line\nfeed\"} 1\n", at: "1:5", "unterminated"),
        .invalid("a second HELP line", "# HELP x a\n# HELP x b\nx 1\n", at: "2:1", "second HELP"),
        .invalid("a second TYPE line", "# TYPE x gauge\n# TYPE x gauge\nx 1\n", at: "2:1", "second TYPE"),
        .invalid("a TYPE line after the samples", "x 1\n# TYPE x gauge\n", at: "2:1", "TYPE after its samples"),
        .invalid(
            "a TYPE line for a summary after its samples",
            "# TYPE s summary\ns_sum 1\n# HELP s_sum x\n# HELP s x\n",
            at: "4:1",
            "second HELP"
        ),
    ]

    private static let invalidCases4: [ParserCase] = [
        .invalid("an OpenMetrics-only type", "# TYPE x gaugehistogram\n", at: "1:10", "unknown metric type"),
        .invalid("an unknown type", "# TYPE x foo\n", at: "1:10", "unknown metric type"),
        .invalid("an upper-case type", "# TYPE x COUNTER\n", at: "1:10", "unknown metric type"),
        .invalid("text after the type", "# TYPE x counter extra\n", at: "1:18", "after the type"),
        .invalid("a TYPE line without a type", "# TYPE x\n", at: "1:9", "without a type"),
        .invalid("a HELP line without a name", "# HELP \n", at: "1:8", "without a metric name"),
        .invalid("an invalid name in HELP", "# HELP 1x text\n", at: "1:8", "invalid metric name"),
        .invalid("a name glued to other characters in TYPE", "# TYPE x-y counter\n", at: "1:9", "invalid metric name"),
    ]

    private static let invalidCases5: [ParserCase] = [
        .invalid("an undefined escape in HELP", "# HELP x a\\tb\n", at: "1:11", "invalid escape"),
        .invalid("an escaped quote in text-format HELP", "# HELP x a\\\"b\n", at: "1:11", "invalid escape"),
        .invalidBytes("invalid UTF-8 in HELP", Array("# HELP x a".utf8) + [0xFF, 0x0A], at: "1:11", "invalid UTF-8"),
        .invalidBytes("invalid UTF-8 in a comment", Array("# a".utf8) + [0xFE, 0x0A], at: "1:4", "invalid UTF-8"),
        .invalid("the reserved __name__ label", "x{__name__=\"y\"} 1\n", at: "1:11", "reserved"),
        .invalid("a duplicate label name", "x{a=\"1\",a=\"2\"} 1\n", at: "1:3", "duplicate label name"),
        .invalid("a label name starting with a digit", "x{1a=\"1\"} 1\n", at: "1:3", "invalid label name"),
        .invalid("a label name with a colon", "x{a:b=\"1\"} 1\n", at: "1:4", "expected '='"),
    ]

    private static let invalidCases6: [ParserCase] = [
        .invalid("a metric name starting with a digit", "1x 1\n", at: "1:1", "invalid metric name"),
        .invalid("a lone comma in braces", "x{,} 1\n", at: "1:3", "invalid label name"),
        .invalid("two commas in a row", "x{a=\"1\",,b=\"2\"} 1\n", at: "1:9", "invalid label name"),
        .invalid("an unquoted label value", "x{a=1} 1\n", at: "1:5", "expected '\"'"),
        .invalid("labels without separating comma", "x{a=\"1\" b=\"2\"} 1\n", at: "1:9", "expected ','"),
        .invalid("an unterminated label set", "x{a=\"1\" 1\n", at: "1:9", "expected ','"),
        .invalid("a metric name given twice", "x{\"y\"} 1\n", at: "1:3", "given twice"),
        .invalid("two quoted metric names", "{\"a\",\"b\"} 1\n", at: "1:6", "given twice"),
    ]

    private static let invalidCases7: [ParserCase] = [
        .invalid("braces without a metric name", "{a=\"1\"} 1\n", at: "1:7", "missing metric name"),
        .invalid("an empty quoted metric name", "{\"\"} 1\n", at: "1:2", "empty metric name"),
        .invalid("an empty quoted label name", "x{\"\"=\"v\"} 1\n", at: "1:3", "empty label name"),
        .invalid("a quoted name outside braces", "\"my.metric\" 1\n", at: "1:1", "invalid metric name"),
        .invalid("a non-numeric le in a histogram", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", at: "2:1", "le label must hold a float"),
        .invalid("a non-numeric quantile in a summary", "# TYPE s summary\ns{quantile=\"high\"} 1\n", at: "2:1", "quantile label must hold a float"),
        .invalid("a histogram bucket without le", "# TYPE h histogram\nh_bucket 1\n", at: "2:1", "without an le label"),
        .invalid(
            "a histogram without a +Inf bucket",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
            at: "2:1",
            "le=\"+Inf\""
        ),
    ]

    private static let invalidCases8: [ParserCase] = [
        .invalid(
            "histogram buckets out of order",
            "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n",
            at: "3:1",
            "out of order"
        )
    ]

    static let invalidCases: [ParserCase] =
        invalidCases0 + invalidCases1 + invalidCases2 + invalidCases3 + invalidCases4 + invalidCases5 + invalidCases6 + invalidCases7 + invalidCases8

    @Test("valid text-format input parses to the expected samples", arguments: validCases)
    func validInput(_ testCase: ParserCase) throws {
        try testCase.expectValid()
    }

    @Test("invalid text-format input is rejected at the offending byte", arguments: invalidCases)
    func invalidInput(_ testCase: ParserCase) {
        testCase.expectRejected()
    }

    @Test("many labels are checked for duplicates, wherever the duplicate is")
    func manyLabels() throws {
        let labels = (0..<500).map { "l\($0)=\"\($0)\"" }.joined(separator: ",")
        let samples = try ExpositionParser.samples(in: Array("x{\(labels)} 1\n".utf8), format: .prometheusText)
        #expect(samples.first?.labels.count == 500)
        #expect(samples.first?.labels.last == .init(name: "l499", value: "499"))
        ParserCase.invalid("a duplicate among many labels", "x{\(labels),l7=\"again\"} 1\n", at: "1:3", "duplicate label name \"l7\"")
            .expectRejected()
    }
}
