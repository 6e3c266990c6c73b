#!/usr/bin/env bash
# Predictive scaling against the same policy without it, replayed over a synthetic week with a
# steep 08:00 ramp (150 → 1,500 rps) and a 19:00 decline: cost and SLO violation minutes.
#   bash scripts/bench/predictive.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ballast --scratch-path .build-bench >/dev/null
ballast=$PWD/.build-bench/release/ballast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/week.csv" <<'PY'
import math, sys
with open(sys.argv[1], 'w') as out:
    out.write('timestamp,value\n')
    t0 = 1699920000
    for i in range(0, 7 * 86400, 60):
        h = ((t0 + i) % 86400) / 3600
        v = 150 + 1350 / (1 + math.exp(-(h - 8) * 4)) * (1 - 1 / (1 + math.exp(-(h - 19) * 1.2)))
        out.write('%d,%.2f\n' % (t0 + i, v))
PY
for predictive in "" "  predictive: {lead: 5m}"; do
    cat >"$work/web.yaml" <<YAML
pool: web
backends: {file_sd: targets.json}
signals: {util: backend_utilization}
scaling:
  min: 2
  max: 20
  target: {signal: util, value: 0.75}
$predictive
capacity: {per_replica_rps: 100, startup: 5m}
cost: {per_replica_hour: 0.10}
slo: {max_utilization: 0.9, latency_p99: 100ms}
replay: {signals: {util: utilization}}
YAML
    echo "${predictive:-  reactive (HPA)}: $("$ballast" replay --policy "$work/web.yaml" --trace "$work/week.csv" | tr -s ' ' | tr '\n' ';')"
done
