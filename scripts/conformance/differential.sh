#!/usr/bin/env bash
# Differential conformance check of `ballast parse-metrics` against reference parsers (not in CI).
#
#   bash scripts/conformance/differential.sh [FILE.om|FILE.prom ...]
#
# Without arguments it runs the built-in corpus below. Each case is parsed by Ballast by default
# and with --strict, and by the references that are installed:
#   .om   the OpenMetrics reference parser (python3-prometheus-client, the spec authors' parser) and
#         Prometheus' own OpenMetrics parser via `promtool tsdb create-blocks-from openmetrics`
#         (it needs a timestamp on every sample, so it only speaks for cases that have them)
#   .prom prometheus/common expfmt via `promtool check metrics` (lint findings are ignored; only
#         parse errors count)
# Reading the table: where the spec reference rejects, strict must reject; where Prometheus
# accepts, the default must accept; where both reject, both modes must reject. (The default is
# held to the Prometheus server itself in CI by ParseMetricsPrometheusTests.) Every reference run is
# bounded by `timeout`.
#
# Deliberate disagreements with the Python reference (0.16), where Ballast follows the spec text:
#   timestamps_mixed         Python rejects a series mixing samples with and without timestamps;
#                            the spec does not forbid it, so strict accepts.
#   histogram_points         Python drops the second point's buckets (it remembers series across
#                            timestamps) and then misses +Inf; the input is valid.
#   info_interleaved         Python puts all info series in one group; the spec forbids
#                            interleaved metrics, so strict rejects.
#   le_duplicate             Python silently drops a repeated series; thresholds must be unique.
#   underscore_*             names starting with "_" are reserved, but the grammar allows them and
#                            so do both references: accepted.
#   negative_le_with_sum,    the spec forbids a _sum beside negative thresholds, a negative _gsum
#   gh_negative_gsum,        without them, and negative quantile values; client_golang writes all of
#   quantile_value_negative  them for quantities that can be negative (alltypes.5mfs.om.txt), so
#                            strict accepts them rather than fail real targets. NaN sums are refused.
#   exemplar_on_gauge,       Prometheus refuses an exemplar on a sample not named *_total or
#   exemplar_on_count        *_bucket, and so does Ballast in both modes.
set -uo pipefail
cd "$(dirname "$0")/../.."

scratch=.build-conformance
swift build --scratch-path "$scratch" --product ballast >/dev/null || exit 1
ballast="$scratch/debug/ballast"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus() {
    local d=$1
    # name|format|printf-text
    while IFS='|' read -r name ext text; do
        [ -z "$name" ] && continue
        printf "$text" >"$d/$name.$ext"
    done <<'CASES'
exemplar_on_gauge|om|# TYPE g gauge\ng 1 # {a="b"} 1\n# EOF\n
exemplar_on_count|om|# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1 # {a="b"} 1\nh_sum 1\n# EOF\n
exemplar_on_total|om|# TYPE c counter\nc_total 1 # {a="b"} 1\n# EOF\n
counter_negative|om|# TYPE c counter\nc_total -1\n# EOF\n
counter_nan|om|# TYPE c counter\nc_total NaN\n# EOF\n
counter_inf|om|# TYPE c counter\nc_total +Inf\n# EOF\n
info_value_2|om|# TYPE i info\ni_info{a="1"} 2\n# EOF\n
stateset_value_2|om|# TYPE s stateset\ns{s="a"} 2\n# EOF\n
stateset_no_label|om|# TYPE s stateset\ns{x="a"} 1\n# EOF\n
stateset_points|om|# TYPE s stateset\ns{s="a"} 1 1\ns{s="b"} 0 1\ns{s="a"} 0 2\ns{s="b"} 1 2\n# EOF\n
bucket_fraction|om|# TYPE h histogram\nh_bucket{le="+Inf"} 1.5\n# EOF\n
count_fraction|om|# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1.5\nh_sum 1\n# EOF\n
bucket_negative|om|# TYPE h histogram\nh_bucket{le="1"} -1\nh_bucket{le="+Inf"} 1\n# EOF\n
inf_ne_count|om|# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 1\nh_sum 1\n# EOF\n
sum_without_count|om|# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\n# EOF\n
count_without_sum|om|# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 2\n# EOF\n
le_nan|om|# TYPE h histogram\nh_bucket{le="NaN"} 1\nh_bucket{le="+Inf"} 1\n# EOF\n
le_duplicate|om|# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\n# EOF\n
le_unsorted|om|# TYPE h histogram\nh_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\n# EOF\n
le_inf_spelling|om|# TYPE h histogram\nh_bucket{le="inf"} 1\n# EOF\n
le_float_spelling|om|# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="2.0"} 1\nh_bucket{le="1e1"} 1\nh_bucket{le="+Inf"} 1\n# EOF\n
bucket_decreasing|om|# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\n# EOF\n
negative_le_with_sum|om|# TYPE h histogram\nh_bucket{le="-1"} 0\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n# EOF\n
negative_le_no_sum|om|# TYPE h histogram\nh_bucket{le="-1"} 0\nh_bucket{le="+Inf"} 1\n# EOF\n
gh_negative_gsum|om|# TYPE g gaugehistogram\ng_bucket{le="1"} 0\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum -1\n# EOF\n
gh_negative_le_gsum|om|# TYPE g gaugehistogram\ng_bucket{le="-1"} 0\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum -1\n# EOF\n
histogram_points|om|# TYPE h histogram\nh_bucket{le="1"} 0 1\nh_bucket{le="+Inf"} 1 1\nh_count 1 1\nh_sum 1 1\nh_bucket{le="1"} 1 2\nh_bucket{le="+Inf"} 2 2\nh_count 2 2\nh_sum 2 2\n# EOF\n
points_interleaved|om|# TYPE h histogram\nh_bucket{le="+Inf"} 1 1\nh_count 1 1\nh_count 1 2\nh_sum 1 1\n# EOF\n
created_only_histogram|om|# TYPE h histogram\nh_created 1\n# EOF\n
quantile_over_1|om|# TYPE q summary\nq{quantile="1.5"} 1\n# EOF\n
quantile_value_negative|om|# TYPE q summary\nq{quantile="0.5"} -1\n# EOF\n
quantile_value_nan|om|# TYPE q summary\nq{quantile="0.5"} NaN\n# EOF\n
summary_count_negative|om|# TYPE q summary\nq_count -1\n# EOF\n
summary_sum_nan|om|# TYPE q summary\nq_sum NaN\n# EOF\n
summary_count_fraction|om|# TYPE q summary\nq_count 1.5\n# EOF\n
timestamps_backwards|om|a 1 2\na 1 1\n# EOF\n
timestamps_equal|om|a 1 1\na 1 1\n# EOF\n
timestamps_mixed|om|a 1\na 1 1\n# EOF\n
repeat_no_timestamp|om|a 1\na 2\n# EOF\n
clash_declared_after|om|# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n# EOF\n
clash_declared_before|om|# TYPE a_total gauge\na_total 1\n# TYPE a counter\na_created 1\n# EOF\n
underscore_label|om|a{_x="1"} 1\n# EOF\n
underscore_family|om|_a 1\n# EOF\n
bom|om|\xef\xbb\xbfa 1\n# EOF\n
le_on_sum|om|# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum{le="1"} 1\n# EOF\n
info_interleaved|om|# TYPE i info\ni_info{a="1"} 1\ni_info{a="2"} 1\ni_info{a="1"} 1\n# EOF\n
exemplar_outside_bucket|om|# TYPE h histogram\nh_bucket{le="1"} 1 # {} 5\nh_bucket{le="+Inf"} 1\n# EOF\n
text_negative_timestamp|prom|a 1 -1\n
text_tabs_blanks|prom|\t a \t 1 \t\n\n# comment\n
text_brace_value|prom|x{}-Inf\n
text_duplicate|prom|a 1\na 1\n
text_not_grouped|prom|a 1\nb 1\na 2\n
text_trailing_comma|prom|a{b="c",} 1\n
text_hist_dup_series|prom|# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\n
text_bom|prom|\xef\xbb\xbfa 1\n
text_quantile_over_1|prom|# TYPE q summary\nq{quantile="2"} 1\n
text_nan_le|prom|# TYPE h histogram\nh_bucket{le="NaN"} 1\nh_bucket{le="+Inf"} 1\n
CASES
}

if [ $# -eq 0 ]; then
    mkdir -p "$work/corpus"
    corpus "$work/corpus"
    set -- "$work"/corpus/*
fi

python_om() {
    if ! /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
        echo "n/a (apt-get install python3-prometheus-client)"
        return
    fi
    timeout 10 /usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
try:
    list(text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()))
except Exception as e:
    print("reject:", str(e)[:60]); sys.exit(1)
print("accept")' "$1" 2>/dev/null || true
}

promtool_om() {
    rm -rf "$work/blocks"
    local out
    out=$(timeout 20 promtool tsdb create-blocks-from openmetrics "$1" "$work/blocks" 2>&1 >/dev/null)
    case "$out" in
        "") echo accept ;;
        *"expected timestamp"*) echo "n/a (no timestamp)" ;;
        *) echo "reject: $(tail -1 <<<"$out" | cut -c1-60)" ;;
    esac
}

promtool_text() {
    local out
    out=$(timeout 10 promtool check metrics <"$1" 2>&1)
    if grep -q "error while linting\|text format parsing error" <<<"$out"; then echo "reject: $(cut -c1-60 <<<"$out" | head -1)"; else echo accept; fi
}

verdict() { "$@" >/dev/null 2>&1 && echo accept || echo reject; }

printf '%-26s %-7s %-7s %s\n' CASE STRICT DEFAULT REFERENCES
for file in "$@"; do
    name=$(basename "$file")
    case "$file" in
        *.om)
            strict=$(verdict "$ballast" parse-metrics --openmetrics --strict "$file")
            default=$(verdict "$ballast" parse-metrics --openmetrics "$file")
            refs="python: $(python_om "$file") | promtool: $(promtool_om "$file")"
            ;;
        *)
            strict=$(verdict "$ballast" parse-metrics --strict "$file")
            default=$(verdict "$ballast" parse-metrics "$file")
            refs="expfmt: $(promtool_text "$file")"
            ;;
    esac
    printf '%-26s %-7s %-7s %s\n' "$name" "$strict" "$default" "$refs"
done
