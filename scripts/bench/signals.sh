#!/usr/bin/env bash
# Signal evaluation latency, local store vs a remote Prometheus (`signals_from`), in one run:
# TARGETS backends (nginx serving one exposition on TARGETS loopback ports) scraped every 1 s by
# a Prometheus 2.42 and by two `ballast run` daemons with the same policy (three per-backend
# signals, evaluated every 1 s); one reads its signals from its own store, the other from that
# Prometheus' /api/v1/query. After SECONDS, each daemon's ballast_signal_read_seconds histogram
# (every query of one evaluation) gives the mean and, as histogram_quantile would, p50 and p99.
#   bash scripts/bench/signals.sh          # TARGETS=20 SECONDS_TO_RUN=60
# Needs nginx, prometheus, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${TARGETS:-20}
seconds=${SECONDS_TO_RUN:-60}
base_port=${BASE_PORT:-23000}

source scripts/bench/lib.sh
bench_setup

cat >"$work/metrics.prom" <<'PROM'
# TYPE backend_utilization gauge
backend_utilization 0.42
# TYPE http_requests_in_flight gauge
http_requests_in_flight 7
# TYPE http_requests_total counter
http_requests_total{code="200"} 10000
http_requests_total{code="500"} 12
PROM
serve_exposition "$work/metrics.prom" "$base_port" "$targets"
addresses=$(loopback_addresses "$base_port" "$targets")
prom_port=$((base_port + targets + 1))
local_port=$((base_port + targets + 2))
remote_port=$((base_port + targets + 3))
policy() {
    printf 'pool: bench\nbackends:\n  static: [%s]\nscrape: {interval: 1s, timeout: 900ms}\nevaluation_interval: 1s\n' "$addresses"
    printf 'signals:\n  util: avg_over_time(backend_utilization[10s])\n  inflight: http_requests_in_flight\n'
    printf '  errors: sum by (instance) (rate(http_requests_total{code=~"5.."}[30s])) / sum by (instance) (rate(http_requests_total[30s]))\n'
    printf 'weights: {strategy: headroom, signal: util, target: 0.7}\n'
}
policy >"$work/local.yaml"
{ policy; printf 'signals_from: {url: "http://127.0.0.1:%d"}\n' "$prom_port"; } >"$work/remote.yaml"
printf 'global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n  - {job_name: bench, static_configs: [{targets: [%s]}]}\n' \
    "$(echo "$addresses" | tr '"' "'")" >"$work/prometheus.yml"

prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address="127.0.0.1:$prom_port" \
    >"$work/prometheus.log" 2>&1 &
pids+=($!)
for side in local remote; do
    port=$local_port
    [ "$side" = remote ] && port=$remote_port
    "$ballast" run --policy "$work/$side.yaml" --db "$work/$side.db" --listen "127.0.0.1:$port" --log-level error >"$work/$side.log" 2>&1 &
    pids+=($!)
done
sleep "$seconds"

report() {
    curl -fsS "http://127.0.0.1:$2/metrics" | python3 -c '
import re, sys
side = sys.argv[1]
buckets, total, count = [], 0.0, 0
for line in sys.stdin:
    if not line.startswith("ballast_signal_read_seconds"): continue
    value = float(line.rsplit(" ", 1)[1])
    if line.startswith("ballast_signal_read_seconds_bucket"):
        le = re.search(r"le=\"([^\"]+)\"", line).group(1)
        buckets.append((float(le), value))
    elif line.startswith("ballast_signal_read_seconds_sum"): total = value
    elif line.startswith("ballast_signal_read_seconds_count"): count = int(value)
buckets.sort()
def quantile(q):
    rank, lower, below = q * count, 0.0, 0.0
    for bound, cumulative in buckets:
        if cumulative >= rank:
            if bound == float("inf"): return lower
            return lower + (bound - lower) * (rank - below) / max(cumulative - below, 1e-12)
        lower, below = bound, cumulative
    return lower
print(f"{side:7s} evaluations {count:5d}  mean {total / max(count, 1) * 1000:7.2f} ms  p50 {quantile(0.5) * 1000:7.2f} ms  p99 {quantile(0.99) * 1000:7.2f} ms")
' "$1"
}
echo "signal reads of one evaluation ($targets backends, 3 signals each), ${seconds}s:"
report local "$local_port"
report remote "$remote_port"
