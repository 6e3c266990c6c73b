#!/usr/bin/env bash
# The collector against Prometheus 2.42, side by side in one run on the same machine:
# TARGETS targets x SERIES series at a 1 s interval (nginx serving one generated exposition on
# TARGETS loopback ports), scraped for SECONDS by `ballast run` and by Prometheus at the same time.
# Prints, for each: CPU seconds per million samples, peak RSS, samples ingested, scrapes that
# started late (more than 10% of the interval), bytes on disk per sample after the run, and the
# time to shut down (SIGTERM) and to start again on the same data (until /-/ready).
#   bash scripts/bench/collector.sh            # TARGETS=200 SERIES=500 SECONDS=60
# Needs nginx, prometheus, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${TARGETS:-200}
series=${SERIES:-500}
seconds=${SECONDS_TO_RUN:-60}
base_port=${BASE_PORT:-21000}

source scripts/bench/lib.sh
bench_setup

# One exposition: SERIES series in 50 families, counters and gauges.
python3 - "$series" >"$work/metrics.prom" <<'PY'
import sys
series = int(sys.argv[1])
per = max(1, series // 50)
n = 0
for f in range(50):
    kind = "counter" if f % 2 == 0 else "gauge"
    name = f"bench_family_{f}" + ("_total" if kind == "counter" else "")
    print(f"# HELP {name} Benchmark family {f}.\n# TYPE {name} {kind}")
    for s in range(per):
        if n >= series: break
        print(f'{name}{{shard="{s}",region="eu-west-{s % 3}",path="/api/v1/items/{s}"}} {1000 + s * 7 + f}')
        n += 1
PY
serve_exposition "$work/metrics.prom" "$base_port" "$targets"
addresses=$(loopback_addresses "$base_port" "$targets")
printf 'pool: bench\nbackends:\n  static: [%s]\nscrape: {interval: 1s, timeout: 900ms}\n' "$addresses" >"$work/bench.yaml"
printf 'global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n  - {job_name: bench, static_configs: [{targets: [%s]}]}\n' \
    "$(echo "$addresses" | tr '"' "'")" >"$work/prometheus.yml"

ballast_port=$((base_port + targets + 10))
prom_port=$((base_port + targets + 11))
"$ballast" run --policy "$work/bench.yaml" --db "$work/ballast.db" --listen "127.0.0.1:$ballast_port" --log-level warning \
    >"$work/ballast.log" 2>&1 &
ballast_pid=$!
pids+=("$ballast_pid")
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address="127.0.0.1:$prom_port" \
    >"$work/prometheus.log" 2>&1 &
prom_pid=$!
pids+=("$prom_pid")

cpu() { awk '{ print ($14 + $15) / 100 }' "/proc/$1/stat"; }
# Both have loaded their targets and scraped a few rounds before measuring starts.
sleep 10
ballast_cpu0=$(cpu "$ballast_pid"); prom_cpu0=$(cpu "$prom_pid")
metric() {
    local value
    value=$(curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }' | head -1)
    echo "${value:-0}"
}
# Prometheus 2.42 labels the counter by sample type; older versions do not.
prom_samples() {
    local value
    value=$(metric "$prom_port" 'prometheus_tsdb_head_samples_appended_total{type="float"}')
    [ "$value" != 0 ] || value=$(metric "$prom_port" prometheus_tsdb_head_samples_appended_total)
    echo "$value"
}
ballast_samples0=$(metric "$ballast_port" ballast_samples_ingested_total)
prom_samples0=$(prom_samples)
sleep "$seconds"
ballast_cpu1=$(cpu "$ballast_pid"); prom_cpu1=$(cpu "$prom_pid")
ballast_samples1=$(metric "$ballast_port" ballast_samples_ingested_total)
prom_samples1=$(prom_samples)
on_time=$(curl -s "http://127.0.0.1:$ballast_port/metrics" | awk '/^ballast_scrape_start_delay_seconds_bucket\{le="0.1"\}/ { print $2 }')
all_scrapes=$(curl -s "http://127.0.0.1:$ballast_port/metrics" | awk '/^ballast_scrape_start_delay_seconds_count/ { print $2 }')
prom_interval=$(curl -s "http://127.0.0.1:$prom_port/metrics" | awk '/^prometheus_target_interval_length_seconds\{interval="1s",quantile="0.99"\}/ { print $2 }')
ballast_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$ballast_pid/status")
prom_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$prom_pid/status")
# Shutdown, one after the other: SIGTERM until the process has exited (Ballast writes its head
# to chunks; Prometheus keeps its WAL).
# (No command substitution around `wait`: a subshell cannot wait for this shell's children.)
now_ms() { echo $(($(date +%s%N) / 1000000)); }
stop_ms() {
    local start
    start=$(now_ms)
    kill -TERM "$1"
    wait "$1" 2>/dev/null || true
    took=$(($(now_ms) - start))
}
stop_ms "$ballast_pid"
ballast_stop=$took
stop_ms "$prom_pid"
prom_stop=$took
pids=()
ballast_bytes=$(cat "$work/ballast.db"* | wc -c)
prom_bytes=$(du -sb "$work/prom" | awk '{ print $1 }')

# Restart on the same data, one after the other: until /-/ready answers 200.
ready_ms() {
    local start
    start=$(now_ms)
    "$@" >>"$work/restart.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$ready_url")" = 200 ]; do sleep 0.05; done
    took=$(($(now_ms) - start))
}
# After a clean shutdown; then, after scraping for CRASH_AFTER seconds, a SIGKILL and a restart
# that must replay what was not written out (Ballast's head rows, Prometheus' WAL).
crash_after=${CRASH_AFTER:-30}
restart_twice() {
    ready_ms "$@"
    clean=$took
    sleep "$crash_after"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    ready_ms "$@"
    crashed=$took
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pids=()
}
ready_url="http://127.0.0.1:$ballast_port/-/ready"
restart_twice "$ballast" run --policy "$work/bench.yaml" --db "$work/ballast.db" --listen "127.0.0.1:$ballast_port" --log-level warning
ballast_start=$clean
ballast_recover=$crashed
ready_url="http://127.0.0.1:$prom_port/-/ready"
restart_twice prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address="127.0.0.1:$prom_port"
prom_start=$clean
prom_recover=$crashed

echo "raw: ballast cpu $ballast_cpu0..$ballast_cpu1 samples $ballast_samples0..$ballast_samples1; prometheus cpu $prom_cpu0..$prom_cpu1 samples $prom_samples0..$prom_samples1" >&2
python3 - <<PY
b_cpu = $ballast_cpu1 - $ballast_cpu0; p_cpu = $prom_cpu1 - $prom_cpu0
b_s = float("$ballast_samples1") - float("$ballast_samples0"); p_s = float("$prom_samples1") - float("$prom_samples0")
print(f"targets={$targets} series={$series} interval=1s measured={$seconds}s")
print(f"samples ingested:     Ballast {b_s/1e6:.2f} M   Prometheus {p_s/1e6:.2f} M")
print(f"CPU s per M samples:  Ballast {b_cpu/(b_s/1e6):.2f}   Prometheus {p_cpu/(p_s/1e6):.2f}   ratio {(b_cpu/b_s)/(p_cpu/p_s):.2f}x")
print(f"peak RSS:             Ballast {$ballast_rss/1024:.1f} MB   Prometheus {$prom_rss/1024:.1f} MB   ratio {$ballast_rss/$prom_rss:.2f}x")
on_time, total = float("${on_time:-0}"), float("${all_scrapes:-1}")
print(f"scrapes started within 10% of the interval: Ballast {100*on_time/total:.2f}% of {int(total)}; Prometheus p99 interval {float('${prom_interval:-0}'):.3f}s")
total_b = b_s + float("$ballast_samples0"); total_p = p_s + float("$prom_samples0")
print(f"bytes on disk per sample after the run: Ballast {$ballast_bytes/total_b:.2f}   Prometheus {$prom_bytes/total_p:.2f}   ratio {($ballast_bytes/total_b)/($prom_bytes/total_p):.2f}x")
print(f"shutdown (SIGTERM to exit): Ballast {$ballast_stop} ms   Prometheus {$prom_stop} ms")
print(f"restart on the same data (start to /-/ready): Ballast {$ballast_start} ms   Prometheus {$prom_start} ms")
print(f"restart after SIGKILL, {$crash_after} s of scrapes not written out: Ballast {$ballast_recover} ms   Prometheus {$prom_recover} ms")
PY
