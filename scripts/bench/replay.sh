#!/usr/bin/env bash
# Replay speed: 90 days of 15 s steps (518,400 steps) of a daily-shaped load for one pool with
# HPA-default scaling (policies/hpa-equivalent.yaml), through the release build; best of RUNS.
# Then `tune` over 100 variants of that trace (scaling.target.value drawn from 0.3..0.9) on all cores.
#   bash scripts/bench/replay.sh        # RUNS=3
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
ballast=$PWD/.build-bench/release/ballast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/90d.csv" <<'PY'
import math, sys
with open(sys.argv[1], 'w') as out:
    out.write('timestamp,value\n')
    t0 = 1700000000
    for i in range(518400):
        t = t0 + i * 15
        day = (t % 86400) / 86400
        out.write('%d,%.3f\n' % (t, 200 + 800 * max(0, math.sin(math.pi * day)) ** 2))
PY
best=""
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$ballast" replay --policy policies/hpa-equivalent.yaml --trace "$work/90d.csv" >/dev/null
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
done
awk -v ms="$best" 'BEGIN { printf "518400 steps in %.2f s (%.0f steps/s, %.1f us/step); target 1 s: %.1fx\n", ms/1000, 518400/(ms/1000), ms*1000/518400, ms/1000 }'
start=$(date +%s%N)
"$ballast" tune --policy policies/hpa-equivalent.yaml --trace "$work/90d.csv" --vary scaling.target.value=0.3..0.9 --random 100 >/dev/null
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
awk -v ms="$elapsed" -v cores="$(nproc)" 'BEGIN { printf "tune, 100 variants on %d cores: %.1f s; target 30 s: %.1fx\n", cores, ms/1000, ms/30000 }'
