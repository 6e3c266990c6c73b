#!/usr/bin/env bash
# Scrapes Debian's prometheus-node-exporter SCRAPES times and writes the scrapes as one OpenMetrics
# backfill file, as if they had been taken every 15 s: real metric names, label sets and value
# shapes, with a synthetic clock. Series are grouped (OpenMetrics forbids interleaved families) and
# keep scrape order within a series. PAUSE (default 0.25 s) is the real time between scrapes.
# Usage: store-node-exporter.sh SCRAPES > FILE
set -euo pipefail
scrapes=${1:-240}
pause=${PAUSE:-0.25}
exporter=$(command -v prometheus-node-exporter || echo /usr/bin/prometheus-node-exporter)
[ -x "$exporter" ] || { echo "error: prometheus-node-exporter is not installed (apt-get install prometheus-node-exporter)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
"$exporter" --web.listen-address="127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/metrics" >/dev/null 2>&1 && break; sleep 0.1; done
start=1704067200
for i in $(seq 0 $((scrapes - 1))); do
    curl -fsS "http://127.0.0.1:$port/metrics" |
        awk -v ts=$((start + i * 15)) '!/^#/ && NF >= 2 { value = $NF; $NF = ""; sub(/ $/, ""); printf "%s\t%s %s\n", $0, value, ts }'
    sleep "$pause"
done | LC_ALL=C sort -s -t $'\t' -k1,1 | awk -F '\t' '{ print $1 " " $2 }'
echo "# EOF"
