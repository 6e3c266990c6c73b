#!/usr/bin/env bash
# The README's first quick-start command (until `ballast demo` lands): builds Ballast, starts
# Debian's prometheus-node-exporter on a free loopback port, parses its live /metrics with
# `ballast parse-metrics`, scrapes it with `ballast scrape`, then runs the daemon over it for a few
# seconds: its Prometheus API, `ballast status`, and a clean SIGTERM. Idempotent and bounded:
# everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh   # curl and node_exporter included

# BALLAST_SCRATCH_PATH lets a developer keep this build apart from their own. A debug build:
# it is the one the tests use, so running both quick-start commands compiles Ballast once.
build=(swift build ${BALLAST_SCRATCH_PATH:+--scratch-path "$BALLAST_SCRATCH_PATH"})
echo "==> building ballast"
"${build[@]}" --product ballast
ballast="$("${build[@]}" --show-bin-path)/ballast"

# The first loopback port in FIRST..LAST that nothing listens on.
free_port() {
    for candidate in $(seq "$1" "$2"); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "error: no free loopback port in $1-$2" >&2
    exit 1
}
port=$(free_port 19100 19199)
api_port=$(free_port 19464 19563)

work="$(mktemp -d)"
exporter_pid=""
daemon_pid=""
# Stops node_exporter and keeps the script's own exit status: `wait` on the killed exporter
# returns 143 (SIGTERM), which must not become the status of a successful run.
cleanup() {
    local status=$?
    for pid in $daemon_pid $exporter_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

echo "==> starting prometheus-node-exporter on 127.0.0.1:$port"
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
exporter_pid=$!
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break
    sleep 0.2
done

echo "==> fetching http://127.0.0.1:$port/metrics"
curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics.prom"
echo "    $(wc -c <"$work/metrics.prom") bytes, $(wc -l <"$work/metrics.prom") lines"

echo "==> ballast parse-metrics --count"
"$ballast" parse-metrics --count "$work/metrics.prom"

echo "==> a few parsed samples (one JSON object per sample)"
"$ballast" parse-metrics "$work/metrics.prom" >"$work/samples.jsonl"
for name in node_load1 node_memory_MemAvailable_bytes node_cpu_seconds_total node_network_receive_bytes_total; do
    grep -m 2 "\"name\":\"$name\"" "$work/samples.jsonl" || true
done

echo "==> an invalid exposition is rejected with FILE:LINE:COL and no samples"
printf 'ok_metric 1\nbad_metric 0x1p-3\n' >"$work/invalid.prom"
"$ballast" parse-metrics "$work/invalid.prom" || echo "    (exit status $?)"

echo "==> ballast scrape: one scrape as the collector does it"
"$ballast" scrape --count "http://127.0.0.1:$port/metrics"

echo "==> ballast run: the daemon scraping node_exporter as pool \"node\", API on 127.0.0.1:$api_port"
printf 'pool: node\nbackends: {static: ["127.0.0.1:%s"]}\nscrape: {interval: 1s, timeout: 900ms}\n' "$port" >"$work/node.yaml"
"$ballast" check "$work/node.yaml"
"$ballast" run --policy "$work/node.yaml" --db "$work/ballast.db" --listen "127.0.0.1:$api_port" --log-level warning &
daemon_pid=$!
for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$api_port/-/ready" && break
    sleep 0.2
done
sleep 3
echo "==> GET /api/v1/query?query=up (Prometheus' JSON)"
curl -sf "http://127.0.0.1:$api_port/api/v1/query?query=up"
echo
echo "==> ballast status"
"$ballast" status --server "http://127.0.0.1:$api_port"
echo "==> SIGTERM: the daemon flushes its store and exits 0"
kill -TERM "$daemon_pid"
wait "$daemon_pid"
daemon_pid=""
echo "    exit status 0"
