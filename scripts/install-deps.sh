#!/usr/bin/env bash
# Installs the Debian packages Ballast builds and tests against. Idempotent: does nothing when
# everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
    libsqlite3-dev        # the embedded store
    libcurl4-openssl-dev  # the collector's scraper
    libre2-dev            # regexes as Go's regexp (RE2) matches them, in linear time
    prometheus            # promtool and the server the query engine is compared with
    prometheus-node-exporter
    nginx
    haproxy
    python3               # serves a scrape target to Prometheus in the staleness comparison
    curl                  # the quick start fetches a live /metrics
    chromium              # renders the replay report and the status page in tests, as a person's browser would
    wrk                   # holds the sim backend to its capacity in a test
    docker-compose        # validates docker-compose.yml offline in a test (no Docker engine needed)
    postgresql            # the HA pair's lease: the tests start a PostgreSQL 15 cluster of their own
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "error: no Swift toolchain found; install Swift 6.2 or later and put it on PATH" >&2
        exit 1
    fi
fi
