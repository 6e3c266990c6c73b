#!/usr/bin/env bash
# The README's first quick-start command (until `ballast demo` lands): builds Ballast, starts
# Debian's prometheus-node-exporter on a free loopback port, fetches its live /metrics and parses
# it with `ballast parse-metrics`. Idempotent and bounded: node_exporter is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh   # curl and node_exporter included

# BALLAST_SCRATCH_PATH lets a developer keep this build apart from their own. A debug build:
# it is the one the tests use, so running both quick-start commands compiles Ballast once.
build=(swift build ${BALLAST_SCRATCH_PATH:+--scratch-path "$BALLAST_SCRATCH_PATH"})
echo "==> building ballast"
"${build[@]}" --product ballast
ballast="$("${build[@]}" --show-bin-path)/ballast"

port=""
for candidate in $(seq 19100 19199); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || { echo "error: no free loopback port in 19100-19199" >&2; exit 1; }

work="$(mktemp -d)"
exporter_pid=""
# Stops node_exporter and keeps the script's own exit status: `wait` on the killed exporter
# returns 143 (SIGTERM), which must not become the status of a successful run.
cleanup() {
    local status=$?
    if [ -n "$exporter_pid" ]; then
        kill "$exporter_pid" 2>/dev/null || true
        wait "$exporter_pid" 2>/dev/null || true
    fi
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
