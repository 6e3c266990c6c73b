#!/usr/bin/env bash
# The appliers' speed, measured with the real proxies on loopback:
#   1. decision → proxy carrying it (p50/p99 over RUNS applies): nginx until the reload is
#      complete, HAProxy until the Runtime API acknowledged and read back; each beside its peer
#      tool in the same run (write + `nginx -s reload`; one `set server` command);
#   2. end to end under wrk: a backend is killed (SIGKILL) while wrk drives traffic through nginx
#      (`proxy_next_upstream off`, so every request routed to the dead backend fails visibly);
#      when nginx last routes a request to it and how many requests fail in the DURATION seconds
#      after the kill, with Ballast rewriting the upstream (scrape 500 ms, unhealthy_after 1)
#      against nginx's passive checks alone (max_fails=1 fail_timeout=10s).
#   bash scripts/bench/apply.sh        # RUNS=100 DURATION=15
# Needs nginx, haproxy, wrk, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-100}
duration=${DURATION:-15}
swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
BALLAST_BENCHMARKS=1 swift build -c release --product apply-latency --scratch-path .build-bench-tools >/dev/null
ballast=$PWD/.build-bench/release/ballast

echo "== decision -> proxy carrying it ($runs applies each)"
.build-bench-tools/release/apply-latency "$runs"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

b1=24301
b2=24302
proxy=24300
serve() { python3 scripts/bench/backend.py "$1" "$2" >/dev/null 2>&1 & echo $!; }

cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log notice;
events { worker_connections 1024; }
http {
    log_format timed '\$msec \$upstream_addr \$status';
    access_log $work/access.log timed;
    client_body_temp_path $work/client_temp;
    proxy_temp_path $work/proxy_temp;
    fastcgi_temp_path $work/fastcgi_temp;
    uwsgi_temp_path $work/uwsgi_temp;
    scgi_temp_path $work/scgi_temp;
    include $work/upstream.conf;
    server { listen 127.0.0.1:$proxy; location / { proxy_pass http://web; proxy_next_upstream off; } }
}
NGINX

# After a run: when the dead backend last got a request (ms after the kill) and the failures.
summarize() {
    python3 - "$work/access.log" "$1" "127.0.0.1:$b2" <<'PY'
import sys
log, killed, dead = sys.argv[1], float(sys.argv[2]) / 1000, sys.argv[3]
last, failed, total = None, 0, 0
for line in open(log):
    msec, upstream, status = line.split()
    t = float(msec)
    if t < killed: continue
    total += 1
    if dead in upstream: last = t
    if status != '200': failed += 1
after = 'never' if last is None else '%.0f ms' % ((last - killed) * 1000)
print('last request routed to the dead backend: %s after the kill; failed requests: %d of %d' % (after, failed, total))
PY
}

run_scenario() {
    local name=$1
    : >"$work/access.log"
    local p1 p2
    p1=$(serve $b1 b1); p2=$(serve $b2 b2)
    pids+=("$p1" "$p2")
    sleep 1
    if [ "$name" = ballast ]; then
        cat >"$work/web.yaml" <<YAML
pool: web
backends: {static: ["127.0.0.1:$b1", "127.0.0.1:$b2"]}
scrape: {interval: 500ms, timeout: 400ms}
evaluation_interval: 15s
health: {unhealthy_after: 1, max_ejected: 50%}
apply:
  nginx:
    file: $work/upstream.conf
    upstream: web
    test: [nginx, -t, -q, -c, $work/nginx.conf]
    reload: [nginx, -s, reload, -c, $work/nginx.conf]
    min_reload_interval: 0s
YAML
        rm -f "$work/b.db"*
        "$ballast" run --policy "$work/web.yaml" --db "$work/b.db" --listen 127.0.0.1:24399 --log-level warning >"$work/daemon.log" 2>&1 &
        pids+=("$!")
        for _ in $(seq 100); do grep -q "weight=" "$work/upstream.conf" && break; sleep 0.1; done
        sleep 1
    fi
    wrk -t2 -c8 -d"$((duration + 3))s" "http://127.0.0.1:$proxy/" >"$work/wrk.txt" 2>&1 &
    local wrk=$!
    sleep 3
    local killed
    killed=$(date +%s%3N)
    kill -9 "$p2"
    wait "$wrk" || true
    echo "$name: $(summarize "$killed"); $(grep -E 'Requests/sec' "$work/wrk.txt" | tr -s ' ')"
    kill -9 "$p1" 2>/dev/null || true
    [ "$name" = ballast ] && kill "${pids[-1]}" 2>/dev/null || true
    sleep 1
}

echo "== backend killed under wrk load, ${duration}s after the kill"
printf 'upstream web {\n    server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n    server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n}\n' $b1 $b2 >"$work/upstream.conf"
nginx -c "$work/nginx.conf"
run_scenario "nginx passive checks alone (max_fails=1 fail_timeout=10s)"
nginx -s reload -c "$work/nginx.conf"
sleep 1
run_scenario ballast
