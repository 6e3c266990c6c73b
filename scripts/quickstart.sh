#!/usr/bin/env bash
# The README's first quick-start command: installs what Ballast needs (nginx among it), builds
# Ballast and runs `ballast demo` for a bounded time. The demo starts sim backends, nginx and the
# daemon on loopback, drives a day of load through nginx and shows the pool reweighting, scaling
# through its hook, ejecting a dead backend and promoting the standby; it stops everything it
# started and exits 0. Idempotent. BALLAST_DEMO_DURATION changes the length (default 90s).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh

# BALLAST_SCRATCH_PATH lets a developer keep this build apart from their own. A debug build:
# it is the one the tests use, so running both quick-start commands compiles Ballast once.
build=(swift build ${BALLAST_SCRATCH_PATH:+--scratch-path "$BALLAST_SCRATCH_PATH"})
echo "==> building ballast"
"${build[@]}" --product ballast
ballast="$("${build[@]}" --show-bin-path)/ballast"

"$ballast" demo --duration "${BALLAST_DEMO_DURATION:-90s}"
