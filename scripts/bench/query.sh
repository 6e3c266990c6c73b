#!/usr/bin/env bash
# Range-query speed: `ballast query` over its SQLite store versus Prometheus' /api/v1/query_range
# (curl) over promtool-backfilled blocks of the same file — 100 series × 24 h at 15 s
# (576,000 samples), step 60 s, measured with hyperfine in one run on this machine.
# Usage: scripts/bench/query.sh   (BALLAST=path/to/ballast to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/install-deps.sh
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

if [ -z "${BALLAST:-}" ]; then
    swift build -c release --product ballast >&2
    BALLAST="$(swift build -c release --show-bin-path)/ballast"
fi

work=$(mktemp -d)
prometheus_pid=""
cleanup() {
    if [ -n "$prometheus_pid" ]; then kill "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

steps=5760
bash scripts/bench/store-generate.sh 100 "$steps" > "$work/data.om"
"$BALLAST" import --db "$work/ballast.db" "$work/data.om" >&2
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/tsdb" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 15s\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" 2>"$work/prometheus.log" &
prometheus_pid=$!
until curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; do sleep 0.2; done

end=1704067200
start=$((end - 86400))
for query in 'sum by (job) (rate({__name__=~"bench_metric_.+"}[5m]))' 'avg_over_time({__name__=~"bench_metric_.+"}[5m])'; do
    encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
    # Same answer first: both print the Prometheus API JSON for the same data (ours ends with a newline).
    ours=$("$BALLAST" query --db "$work/ballast.db" --start "$start" --end "$end" --step 60s "$query")
    theirs=$(curl -s "http://127.0.0.1:$port/api/v1/query_range?query=$encoded&start=$start&end=$end&step=60")
    echo "query: $query  (identical JSON: $([ "$ours" = "$theirs" ] && echo yes || echo no))"
    hyperfine --warmup 2 --min-runs 10 -N \
        -n "ballast query" "$BALLAST query --db $work/ballast.db --start $start --end $end --step 60s '$query'" \
        -n "prometheus query_range (curl)" "curl -s -o /dev/null 'http://127.0.0.1:$port/api/v1/query_range?query=$encoded&start=$start&end=$end&step=60'"
done
