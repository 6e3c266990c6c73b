#!/usr/bin/env bash
# Fuzzes the exposition parser with libFuzzer for a bounded time (default 60 s):
#   bash scripts/fuzz.sh [SECONDS]
# Builds Fuzz/ParserFuzzer with the Exposition sources under the fuzzer and address sanitizers,
# seeds the corpus from shared/testdata and Fuzz/seeds, and stops at the first crash, hang
# (-timeout) or memory blow-up (-rss_limit_mb). Not part of CI: run it by hand after parser changes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=Fuzz/out
corpus=Fuzz/corpus-work
mkdir -p "$out" "$corpus"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    -module-name ExpositionFuzz \
    Sources/Exposition/*.swift Fuzz/ParserFuzzer/main.swift \
    -o "$out/parser-fuzzer"

cp Fuzz/seeds/* "$corpus/"
shared="../shared/testdata/expositions"
if [ -d "$shared" ]; then
    for f in "$shared"/*.txt; do cp "$f" "$corpus/$(basename "$f")"; done
else
    echo "note: $shared is missing; seeding from Fuzz/seeds only"
fi

"$out/parser-fuzzer" "$corpus" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$out/" -print_final_stats=1
