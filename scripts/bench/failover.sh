#!/usr/bin/env bash
# The control loop's speed, measured on the daemon with real scrape targets on loopback:
#   1. time from a backend's death (SIGKILL of its server) to its ejection in /api/v1/pools, at
#      500 ms and 1 s scrape intervals (unhealthy_after 1, timeout 80% of the interval), RUNS times each;
#   2. decision latency (a stored scrape asking for an evaluation → decisions and state journaled,
#      `ballast_decision_latency_seconds`) with 10 pools × 20 backends, 2 of them dead per pool.
#   bash scripts/bench/failover.sh        # RUNS=10
# Needs python3, nginx, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-10}
# Backends die by SIGKILL; so does everything left at exit.
BENCH_KILL_SIGNAL=KILL
source scripts/bench/lib.sh
bench_setup

serve() { python3 scripts/bench/backend.py "$1" >/dev/null 2>&1 & echo $!; }
state() { curl -s "http://127.0.0.1:$1/api/v1/pools/web" | python3 -c "import json,sys; d=json.load(sys.stdin)['data']; print({b['address']: b['state'] for b in d['backends']}.get(sys.argv[1], ''))" "$2"; }
now_ms() { date +%s%3N; }

for interval in 500 1000; do
    timeout=$((interval * 8 / 10))
    ports=(24101 24102 24103)
    backend_pids=()
    for port in "${ports[@]}"; do backend_pids+=("$(serve "$port")"); done
    pids+=("${backend_pids[@]}")
    cat >"$work/web.yaml" <<YAML
pool: web
backends: {static: ["127.0.0.1:24101", "127.0.0.1:24102", "127.0.0.1:24103"]}
scrape: {interval: ${interval}ms, timeout: ${timeout}ms}
evaluation_interval: 15s
health: {unhealthy_after: 1, healthy_after: 1, eject_for: 1s, max_ejected: 50%}
YAML
    rm -f "$work/b.db"*
    "$ballast" run --policy "$work/web.yaml" --db "$work/b.db" --listen 127.0.0.1:24200 --log-level warning >"$work/daemon.log" 2>&1 &
    daemon=$!
    pids+=("$daemon")
    sleep 3
    times=()
    for run in $(seq 1 "$runs"); do
        until [ "$(state 24200 127.0.0.1:24101)" = serving ]; do sleep 0.05; done
        sleep 0.$((RANDOM % 9 + 1))
        start=$(now_ms)
        kill -9 "${backend_pids[0]}"
        until [ "$(state 24200 127.0.0.1:24101)" = ejected ]; do sleep 0.01; done
        times+=($(($(now_ms) - start)))
        backend_pids[0]=$(serve 24101)
        pids+=("${backend_pids[0]}")
    done
    kill -TERM "$daemon"; wait "$daemon" 2>/dev/null || true
    for pid in "${backend_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    printf '%s\n' "${times[@]}" | python3 -c "
import sys
t = sorted(int(x) for x in sys.stdin)
q = lambda p: t[min(len(t) - 1, int(len(t) * p))]
print(f'death to ejection at a {$interval} ms scrape interval: p50 {q(0.5)} ms, p99 {q(0.99)} ms, max {t[-1]} ms over {len(t)} runs (bound: interval + timeout = {$interval + $timeout} ms)')"
done

# 10 pools x 20 backends on nginx, 2 dead per pool; decision latency from the daemon's histogram.
mkdir -p "$work/tmp"
printf '# TYPE backend_utilization gauge\nbackend_utilization 0.5\n' >"$work/metrics.prom"
chmod 644 "$work/metrics.prom"
{
    echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;"
    echo "  types { } default_type 'text/plain; version=0.0.4';"
    for pool in $(seq 0 9); do for backend in $(seq 2 19); do
        echo "  server { listen 127.0.0.1:$((25000 + pool * 20 + backend)); location = /metrics { alias $work/metrics.prom; } }"
    done; done
    echo "}"
} >"$work/nginx.conf"
nginx -c "$work/nginx.conf"
mkdir -p "$work/policies"
for pool in $(seq 0 9); do
    addresses=$(for backend in $(seq 0 19); do printf '"127.0.0.1:%d",' $((25000 + pool * 20 + backend)); done)
    cat >"$work/policies/pool$pool.yaml" <<YAML
pool: pool$pool
backends: {static: [${addresses%,}]}
scrape: {interval: 1s, timeout: 800ms}
evaluation_interval: 5s
signals: {util: backend_utilization}
weights: {strategy: headroom, signal: util, target: 0.6}
health: {unhealthy_after: 1, eject_for: 1s}
YAML
done
rm -f "$work/b.db"*
"$ballast" run --policy "$work/policies" --db "$work/b.db" --listen 127.0.0.1:24201 --log-level warning >"$work/daemon.log" 2>&1 &
daemon=$!
pids+=("$daemon")
sleep ${SECONDS_TO_RUN:-30}
curl -s http://127.0.0.1:24201/metrics | python3 -c "
import sys, re
buckets = []
for line in sys.stdin:
    m = re.match(r'ballast_decision_latency_seconds_bucket\{le=\"([^\"]+)\"\} (\S+)', line)
    if m: buckets.append((float('inf') if m.group(1) == '+Inf' else float(m.group(1)), float(m.group(2))))
    m = re.match(r'ballast_evaluation_duration_seconds_(sum|count)\{pool=\"pool0\"\} (\S+)', line)
    if m: print(f'evaluation of one 20-backend pool: {m.group(1)} {float(m.group(2)):.4f}')
total = buckets[-1][1] if buckets else 0
def q(p):
    for le, c in buckets:
        if c >= total * p: return le
print(f'decision latency, 10 pools x 20 backends: {int(total)} triggered evaluations; p50 <= {q(0.5)} s, p99 <= {q(0.99)} s (histogram bucket bounds)')"
