/// Inputs at the edges of what Prometheus ingests, for the differential tests against the real
/// Prometheus server (scrapes) and promtool (backfill). Each case is only an input: what must
/// happen to it is whatever the reference does, so the tables hold no expectations of their own.
enum IngestCorpus {
    /// One input. `openMetrics` bodies are served (and parsed) as OpenMetrics 1.0.0.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let openMetrics: Bool
        let bytes: [UInt8]
        var description: String { name }

        var fileName: String { name + (openMetrics ? ".om" : ".prom") }

        static func text(_ name: String, _ body: String) -> Case { Case(name: name, openMetrics: false, bytes: Array(body.utf8)) }
        static func om(_ name: String, _ body: String) -> Case { Case(name: name, openMetrics: true, bytes: Array(body.utf8)) }
    }

    /// Scrape bodies, in both formats.
    static let scrapes: [Case] = [
        .text("plain", "# HELP x A gauge.\n# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"2\"} 2.5e3\n"),
        .text("help_without_name", "# HELP\nx 1\n"),
        .text("help_name_only", "# HELP x\nx 1\n"),
        .text("type_without_name", "# TYPE\nx 1\n"),
        .text("type_after_samples", "x 1\n# TYPE x gauge\nx 2\n"),
        .text("second_help", "# HELP x a\n# HELP x b\nx 1\n"),
        .text("upper_case_type", "# TYPE x COUNTER\nx 1\n"),
        .text("unknown_type_keyword", "# TYPE x distribution\nx 1\n"),
        .text("histogram_without_inf", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"),
        .text("histogram_unsorted", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"1\"} 1\nh_count 3\nh_sum 2\n"),
        .text("le_not_a_number", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"),
        .text("quantile_not_a_number", "# TYPE s summary\ns{quantile=\"median\"} 1\n"),
        .text("undefined_escape", "x{a=\"\\t\"} 1\n"),
        .text("escaped_newline", "x{a=\"one\\ntwo\"} 1\n"),
        .text("no_final_line_feed", "x 1"),
        .text("carriage_returns", "x 1\r\ny 2\r\n"),
        .text("hex_value", "x 0x1\n"),
        .text("underscore_in_value", "x 1_000\n"),
        .text("infinities_and_nan", "a +Inf\nb -Inf\nc NaN\nd Inf\ne nan\n"),
        .text("duplicate_label", "x{a=\"1\",a=\"2\"} 1\n"),
        .text("invalid_utf8_label_value", "x{a=\"\u{FFFD}\"} 1\n").replacingReplacementCharacter(),
        .text("fractional_timestamp", "x 1 1.5\n"),
        .text("timestamp", "x 1 1700000000000\n"),
        .text("tab_separators", "x\t1\n"),
        .text("leading_spaces", "  x 1\n"),
        .text("leading_spaces_before_braces", "  {__name__=\"x\"} 1\n"),
        .text("leading_spaces_before_comment", "  # HELP x y\n\t# TYPE x gauge\nx 1\n"),
        .text("line_of_blanks", "x 1\n \t \ny 2\n"),
        .text("blank_lines", "\n\nx 1\n\n"),
        .text("comments", "# hello\n#\nx 1\n"),
        .text("empty_braces", "x{} 1\n"),
        .text("trailing_comma", "x{a=\"1\",} 1\n"),
        .text("spaces_in_braces", "x{ a = \"1\" , b=\"2\" } 1\n"),
        .text("name_starts_with_digit", "1x 1\n"),
        .text("colon_in_label_name", "x{a:b=\"1\"} 1\n"),
        .text("repeated_series", "x 1\nx 2\n"),
        .text("text_exemplar", "x 1 # {a=\"b\"} 1\n"),
        .text("value_missing", "x\n"),
        .text("empty_body", ""),
        .om("om_plain", "# TYPE c counter\n# HELP c Requests.\nc_total 3\nc_created 1.7e9\n# EOF\n"),
        .om("om_count_without_sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n# EOF\n"),
        .om("om_info_not_named_info", "# TYPE i info\ni{a=\"1\"} 1\n# EOF\n"),
        .om("om_metadata_between_samples", "# TYPE x gauge\nx{a=\"1\"} 1\n# HELP x late\nx{a=\"2\"} 2\n# EOF\n"),
        .om("om_fractional_buckets", "# TYPE h histogram\nh_bucket{le=\"0.005\"} 15.041\nh_bucket{le=\"+Inf\"} 16.5\nh_count 16.5\nh_sum 1\n# EOF\n"),
        .om("om_unsorted_buckets", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"1\"} 1\n# EOF\n"),
        .om("om_negative_counter", "# TYPE c counter\nc_total -1\n# EOF\n"),
        .om("om_nan_counter", "# TYPE c counter\nc_total NaN\n# EOF\n"),
        .om("om_interleaved", "a{x=\"1\"} 1\na{x=\"2\"} 1\nb 1\na{x=\"1\"} 2\n# EOF\n"),
        .om("om_stateset", "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# EOF\n"),
        .om("om_stateset_value_2", "# TYPE s stateset\ns{s=\"a\"} 2\n# EOF\n"),
        .om("om_exemplar_on_gauge", "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n"),
        .om("om_exemplar_on_gauge_named_total", "# TYPE g_total gauge\ng_total 1 # {a=\"b\"} 1\n# EOF\n"),
        .om("om_exemplar_on_count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1 # {a=\"b\"} 1\nh_count 1 # {a=\"b\"} 1\n# EOF\n"),
        .om("om_long_exemplar", "# TYPE c counter\nc_total 1 # {id=\"" + String(repeating: "x", count: 130) + "\"} 1\n# EOF\n"),
        .om("om_unknown_type", "# TYPE a unknown\na 1\n# EOF\n"),
        .om("om_missing_eof", "# TYPE a gauge\na 1\n"),
        .om("om_text_after_eof", "# TYPE a gauge\na 1\n# EOF\na 2\n"),
        .om("om_double_space", "# TYPE a gauge\na  1\n# EOF\n"),
        .om("om_undefined_escape", "a{x=\"\\t\"} 1\n# EOF\n"),
        .om("om_blank_line", "a 1\n\n# EOF\n"),
    ]

    /// Backfill files: OpenMetrics with a timestamp on every sample.
    static let backfills: [Case] = [
        .om(
            "fractional_buckets",
            "# TYPE h histogram\nh_bucket{le=\"0.005\"} 15.041 1700000000\nh_bucket{le=\"+Inf\"} 16.5 1700000000\nh_count 16.5 1700000000\nh_sum 3.2 1700000000\n# EOF\n"
        ),
        .om("count_without_sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2 1700000000\nh_count 2 1700000000\n# EOF\n"),
        .om("created", "# TYPE c counter\nc_total 3 1700000000\nc_created 1699990000 1700000000\n# EOF\n"),
        .om(
            "exemplars",
            "# TYPE c counter\nc_total 3 1700000000 # {trace_id=\"abc\"} 1 1699999999\n# TYPE h histogram\nh_bucket{le=\"1\"} 1 1700000000 # {trace_id=\"x\"} 0.5\nh_bucket{le=\"+Inf\"} 1 1700000000\nh_count 1 1700000000\nh_sum 0.5 1700000000\n# EOF\n"
        ),
        .om("long_exemplar", "# TYPE c counter\nc_total 1 1700000000 # {id=\"" + String(repeating: "x", count: 130) + "\"} 1\n# EOF\n"),
        .om("info", "# TYPE build info\nbuild_info{version=\"1.2\"} 1 1700000000\n# EOF\n"),
        .om("info_not_named_info", "# TYPE build info\nbuild{version=\"1.2\"} 1 1700000000\n# EOF\n"),
        .om("info_value_2", "# TYPE build info\nbuild_info{version=\"1.2\"} 2 1700000000\n# EOF\n"),
        .om("stateset", "# TYPE s stateset\ns{s=\"a\"} 1 1700000000\ns{s=\"b\"} 0 1700000000\n# EOF\n"),
        .om("stateset_value_2", "# TYPE s stateset\ns{s=\"a\"} 2 1700000000\n# EOF\n"),
        .om(
            "unsorted_buckets",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3 1700000000\nh_bucket{le=\"1\"} 1 1700000000\nh_bucket{le=\"0.5\"} 2 1700000000\n# EOF\n"
        ),
        .om("le_not_a_number", "# TYPE h histogram\nh_bucket{le=\"x\"} 1 1700000000\n# EOF\n"),
        .om("le_missing", "# TYPE h histogram\nh_bucket 1 1700000000\n# EOF\n"),
        .om("nan_counter", "# TYPE c counter\nc_total NaN 1700000000\n# EOF\n"),
        .om("negative_counter", "# TYPE c counter\nc_total -4 1700000000\n# EOF\n"),
        .om("interleaved_series", "# TYPE a gauge\na{x=\"1\"} 1 1700000000\na{x=\"2\"} 1 1700000000\na{x=\"1\"} 2 1700000015\n# EOF\n"),
        .om("unknown_type", "# TYPE a unknown\na 1 1700000000\n# EOF\n"),
        .om("gaugehistogram", "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 1 1700000000\ng_gcount 1 1700000000\ng_gsum 2 1700000000\n# EOF\n"),
        .om("summary", "# TYPE s summary\ns{quantile=\"0.5\"} 1 1700000000\ns_count 2 1700000000\ns_sum 3 1700000000\n# EOF\n"),
        .om("unit", "# TYPE d_seconds gauge\n# UNIT d_seconds seconds\nd_seconds 1 1700000000\n# EOF\n"),
        .om("escapes", "# HELP a some \\\"text\\\" \\\\ \\n\n# TYPE a gauge\na{l=\"q\\\"\\\\\\n\"} 1 1700000000\n# EOF\n"),
        .om("undefined_escape", "# TYPE a gauge\na{x=\"\\t\"} 1 1700000000\n# EOF\n"),
        .om("type_twice", "# TYPE a gauge\n# TYPE a gauge\na 1 1700000000\n# EOF\n"),
        .om("float_timestamp", "# TYPE a gauge\na 1 1700000000.123\n# EOF\n"),
        .om("no_metadata", "a 1 1700000000\nb_total 2 1700000000\n# EOF\n"),
        .om("infinities", "# TYPE a gauge\na +Inf 1700000000\na -Inf 1700000015\n# EOF\n"),
        .om("only_eof", "# EOF\n"),
        .om("missing_timestamp", "# TYPE a gauge\na 1\n# EOF\n"),
        .om("missing_eof", "# TYPE a gauge\na 1 1700000000\n"),
        .om("text_after_eof", "# TYPE a gauge\na 1 1700000000\n# EOF\na 2 1700000015\n"),
        .om("word_value", "# TYPE a gauge\na one 1700000000\n# EOF\n"),
        .om("hex_value", "# TYPE a gauge\na 0x1 1700000000\n# EOF\n"),
        .om("bad_timestamp", "# TYPE a gauge\na 1 17e\n# EOF\n"),
        .om("duplicate_label", "# TYPE a gauge\na{x=\"1\",x=\"2\"} 1 1700000000\n# EOF\n"),
        .om("double_space", "# TYPE a gauge\na  1 1700000000\n# EOF\n"),
        .om("invalid_utf8", "# TYPE a gauge\na{x=\"\u{FFFD}\"} 1 1700000000\n# EOF\n").replacingReplacementCharacter(),
        .om("carriage_returns", "# TYPE a gauge\r\na 1 1700000000\r\n# EOF\r\n"),
        .om("empty_file", ""),
        .om("label_without_quotes", "# TYPE a gauge\na{x=1} 1 1700000000\n# EOF\n"),
        .om("trailing_comma", "# TYPE a gauge\na{x=\"1\",} 1 1700000000\n# EOF\n"),
        .om("blank_line", "# TYPE a gauge\n\na 1 1700000000\n# EOF\n"),
        .om("plain_comment", "# TYPE a gauge\n# just a comment\na 1 1700000000\n# EOF\n"),
        // Where the importers differ by design, not in what they accept: promtool drops samples
        // out of order within a series (and these negative times); `ballast import` stores them.
        .om("out_of_order", "# TYPE a gauge\na 1 1700000015\na 2 1700000000\n# EOF\n"),
        .om("negative_timestamp", "# TYPE a gauge\na 1 -5\n# EOF\n"),
    ]

    /// Backfill cases where both importers succeed but promtool stores fewer samples (see above).
    static let promtoolDropsSamples: Set<String> = ["out_of_order", "negative_timestamp"]
}

extension IngestCorpus.Case {
    /// The same input with each U+FFFD (written as a placeholder) replaced by the lone byte 0xFF,
    /// which is not UTF-8.
    func replacingReplacementCharacter() -> Self {
        var out: [UInt8] = []
        var index = 0
        let placeholder = Array("\u{FFFD}".utf8)
        while index < bytes.count {
            if bytes[index...].starts(with: placeholder) {
                out.append(0xFF)
                index += placeholder.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return Self(name: name, openMetrics: openMetrics, bytes: out)
    }
}
