#!/usr/bin/env bash
# HA pair takeover: two `ballast run` instances (release) share a leader lease in a real
# PostgreSQL 15 started here; an exec applier logs every routing it carries with the instance and
# the time. RUNS times per lease setting, the leader is killed with SIGKILL and restarted as the
# follower. Prints, per lease, the takeover time (kill -9 to the first routing the other instance
# applies) and the window with no applier (the dead leader's last apply to the new leader's
# first), as p50 / p99 / max.
#   bash scripts/bench/ha.sh            # LEASES="2s 4s 10s" RUNS=10
# Needs postgresql, python3, curl (scripts/install-deps.sh); as root, PostgreSQL runs as postgres.
set -euo pipefail
cd "$(dirname "$0")/../.."
leases=${LEASES:-2s 4s 10s}
runs=${RUNS:-10}
BENCH_KILL_SIGNAL=KILL
source scripts/bench/lib.sh
bench_setup

pg=/usr/lib/postgresql/15/bin
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$work"
    as_postgres=(runuser -u postgres --)
fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_postgres[@]}" "$pg/initdb" -D "$work/pg" -A trust -U postgres --no-sync >/dev/null
"${as_postgres[@]}" "$pg/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
stop_pg() { "${as_postgres[@]}" "$pg/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; }
trap 'stop_pg; bench_cleanup' EXIT

# Two backends whose utilisation changes at every scrape, so the leader applies all the time.
for port in 26101 26102; do python3 scripts/bench/backend.py "$port" --random >/dev/null 2>&1 & pids+=($!); done
printf '#!/bin/sh\ncat >/dev/null\necho "$1 $(date +%%s%%3N)" >> "%s/applied.log"\n' "$work" >"$work/apply.sh"
chmod 755 "$work/apply.sh"
echo "postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable" >"$work/dsn"
for name in one two; do
    cat >"$work/$name.yaml" <<YAML
pool: web
backends: {static: ["127.0.0.1:26101", "127.0.0.1:26102"]}
scrape: {interval: 200ms, timeout: 150ms}
evaluation_interval: 200ms
signals: {util: backend_utilization}
weights: {strategy: headroom, signal: util, target: 0.7, smoothing: 1}
apply: {exec: {exec: ["$work/apply.sh", "$name"], timeout: 5s}}
YAML
done

declare -A port=([one]=26201 [two]=26202)
declare -A daemon_pid=()
start() { # start NAME LEASE
    printf 'policies: [%s/%s.yaml]\nstore: {path: %s/%s.db}\nha: {postgres: {dsn_file: %s/dsn}, lease: %s, instance: %s}\n' \
        "$work" "$1" "$work" "$1" "$work" "$2" "$1" >"$work/$1-config.yaml"
    "$ballast" run --config "$work/$1-config.yaml" --listen "127.0.0.1:${port[$1]}" --log-level warning >>"$work/$1.log" 2>&1 &
    daemon_pid[$1]=$!
    pids+=($!)
}
role() { curl -fsS "http://127.0.0.1:${port[$1]}/api/v1/status" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["ha"]["role"])' 2>/dev/null || echo none; }
wait_role() { for _ in $(seq 1 600); do [ "$(role "$1")" = "$2" ] && return 0; sleep 0.05; done; echo "$1 never became $2" >&2; exit 1; }
now_ms() { date +%s%3N; }

for lease in $leases; do
    rm -f "$work"/*.db* "$work/applied.log"
    "${as_postgres[@]}" psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -c 'DROP TABLE IF EXISTS ballast_lease, ballast_engine_state' >/dev/null 2>&1 || true
    start one "$lease"; wait_role one leader
    start two "$lease"; wait_role two follower
    results=()
    leader=one
    for _ in $(seq "$runs"); do
        other=$([ "$leader" = one ] && echo two || echo one)
        sleep 1
        killed=$(now_ms)
        kill -9 "${daemon_pid[$leader]}"
        wait "${daemon_pid[$leader]}" 2>/dev/null || true
        first=""
        for _ in $(seq 1 1200); do
            first=$(awk -v who="$other" -v since="$killed" '$1 == who && $2 >= since { print $2; exit }' "$work/applied.log")
            [ -n "$first" ] && break
            sleep 0.02
        done
        last=$(awk -v who="$leader" -v until="$killed" '$1 == who && $2 <= until { t = $2 } END { print t }' "$work/applied.log")
        results+=("$((first - killed)) $((first - last))")
        start "$leader" "$lease"
        wait_role "$leader" follower
        leader=$other
    done
    printf '%s\n' "${results[@]}" | python3 -c '
import sys
rows = [tuple(map(int, line.split())) for line in sys.stdin if line.strip()]
def stats(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
    return "p50 %5d ms  p99 %5d ms  max %5d ms" % (pick(0.5), pick(0.99), values[-1])
lease = sys.argv[1]
print("lease %-4s takeover after kill -9: %s   no applier: %s   (%d runs)" % (lease, stats([r[0] for r in rows]), stats([r[1] for r in rows]), len(rows)))
' "$lease"
    kill -9 "${daemon_pid[one]}" "${daemon_pid[two]}" 2>/dev/null || true
    wait "${daemon_pid[one]}" "${daemon_pid[two]}" 2>/dev/null || true
done
