#!/usr/bin/env bash
# Runs every test: installs the system packages the integration tests start (nginx, HAProxy,
# Prometheus, node_exporter), builds, and runs the Swift Testing suites.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
