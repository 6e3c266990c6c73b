#!/usr/bin/env bash
# End to end with a real nginx, `ballast sim-backend` backends and `ballast run` on loopback:
#   1. a heterogeneous pool (400/400/200 rps) at 80% of its capacity (RATE 800 requests/s, open
#      loop): p50/p99 and errors through nginx round robin, nginx least_conn and nginx carrying
#      Ballast's weights, each with fresh backends, WARMUP seconds of warm-up, SECONDS measured;
#   2. scale-out: a two-backend pool stepped from 150 to 500 requests/s; time to the scale
#      decision and to the scale hook's new backend serving traffic.
# The failover case (a backend killed under wrk) is scripts/bench/apply.sh's second part.
#   bash scripts/bench/e2e.sh              # RATE=800 WARMUP=20 SECONDS_MEASURED=30 SCENARIO=all|balance|scale
# Needs nginx.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
BALLAST_BENCHMARKS=1 swift build -c release --product e2e-bench --scratch-path .build-bench-tools >/dev/null
.build-bench-tools/release/e2e-bench --ballast "$PWD/.build-bench/release/ballast" \
    --rate "${RATE:-800}" --warmup "${WARMUP:-20}" --seconds "${SECONDS_MEASURED:-30}" --scenario "${SCENARIO:-all}"
