#!/usr/bin/env bash
# Store benchmarks, Ballast against Prometheus' own tools in the same run on the same machine:
#   1. `ballast import` vs `promtool tsdb create-blocks-from openmetrics` on a generated file
#      (SERIES series x STEPS samples at 15 s; default 2,000 x 1,440 = 2.88 M samples): wall time
#      (hyperfine) and bytes on disk per sample (Ballast's database after a WAL checkpoint vs the
#      Prometheus block directory);
#   2. the same on real node_exporter scrapes (Debian's prometheus-node-exporter, SCRAPES scrapes
#      PAUSE s apart, stored 15 s apart: default 720 = 3 h of data);
#   3. a 24 h range read of 100 series through the store's reader API (store-read);
#   4. the daemon's scrape path (store-append; no peer does this offline): 500 series x
#      APPEND_STEPS scrapes, one transaction each, append latency p50/p99 alone and with
#      maintenance and a querying reader running, and the reader's query latency.
# Needs hyperfine, promtool, prometheus-node-exporter, curl, python3. Usage: bash scripts/bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
series=${SERIES:-2000}
steps=${STEPS:-1440}
scrapes=${SCRAPES:-720}
runs=${RUNS:-3}
for tool in hyperfine promtool curl python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (see scripts/install-deps.sh)" >&2; exit 1; }
done

swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
ballast=$PWD/.build-bench/release/ballast
BALLAST_BENCHMARKS=1 swift build -c release --product store-read --scratch-path .build-bench-tools >/dev/null
BALLAST_BENCHMARKS=1 swift build -c release --product store-append --scratch-path .build-bench-tools >/dev/null
store_read=$PWD/.build-bench-tools/release/store-read
store_append=$PWD/.build-bench-tools/release/store-append

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Imports FILE with both tools into $work/NAME.db and $work/NAME.prom; prints bytes per sample.
sizes() {
    local name=$1 file=$2 samples
    rm -f "$work/$name.db"* && rm -rf "$work/$name.prom"
    samples=$("$ballast" import --db "$work/$name.db" "$file" | awk '{ print $2 }')
    promtool tsdb create-blocks-from openmetrics "$file" "$work/$name.prom" >/dev/null
    local ballast_bytes prom_bytes
    ballast_bytes=$(cat "$work/$name.db"* | wc -c)
    prom_bytes=$(du -sb "$work/$name.prom" | awk '{ print $1 }')
    python3 - "$name" "$samples" "$ballast_bytes" "$prom_bytes" <<'PY'
import sys
name, samples, b, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"{name}: {samples} samples; Ballast {b} B = {b / samples:.3f} B/sample; "
      f"Prometheus {p} B = {p / samples:.3f} B/sample; ratio {b / p:.2f}x")
PY
}

echo "== generated: $series series x $steps samples"
bash scripts/bench/store-generate.sh "$series" "$steps" >"$work/generated.om"
hyperfine --runs "$runs" --export-json "$work/import.json" \
    --prepare "rm -f $work/h.db*" "$ballast import --db $work/h.db $work/generated.om" \
    --prepare "rm -rf $work/h.prom" "promtool tsdb create-blocks-from openmetrics $work/generated.om $work/h.prom"
python3 - "$work/import.json" "$((series * steps))" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
samples = int(sys.argv[2])
ballast, prom = results[0]["median"], results[1]["median"]
print(f"import: Ballast {ballast:.2f} s ({samples / ballast / 1e6:.2f} M samples/s), "
      f"promtool {prom:.2f} s ({samples / prom / 1e6:.2f} M samples/s); promtool/Ballast time {prom / ballast:.2f}x")
PY
sizes generated "$work/generated.om"

echo "== node_exporter: $scrapes scrapes"
PAUSE=${PAUSE:-0.1} bash scripts/bench/store-node-exporter.sh "$scrapes" >"$work/node.om"
sizes node "$work/node.om"

echo "== range read: 24 h of 100 series at 15 s"
bash scripts/bench/store-generate.sh 100 5760 >"$work/day.om"
"$ballast" import --db "$work/day.db" "$work/day.om" >/dev/null
"$store_read" "$work/day.db" 1703980800000 1704067200000 20

append_steps=${APPEND_STEPS:-3600}
echo "== scrape path: 500 series x $append_steps scrapes, one transaction each"
"$store_append" "$work" 500 "$append_steps"
