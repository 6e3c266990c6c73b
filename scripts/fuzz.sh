#!/usr/bin/env bash
# Fuzzes Ballast's parsers with libFuzzer for a bounded time each (default 60 s):
#   bash scripts/fuzz.sh [SECONDS] [exposition|promql|policy ...]     # all three by default
# - exposition: the exposition parser (Fuzz/ParserFuzzer), compiled in one module with
#   Sources/Exposition/*.swift;
# - promql: PromQL parsing and evaluation on a small store (Fuzz/PromQLFuzzer);
# - policy: the policy loader with PromQL checking and its write-back round trip
#   (Fuzz/PolicyFuzzer); these two are SwiftPM targets declared with BALLAST_FUZZ=1.
# All under the fuzzer and address sanitizers; each stops at the first crash, hang (-timeout) or
# memory blow-up (-rss_limit_mb), leaving the input in Fuzz/out/. CI runs each for 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
((${#targets[@]})) || targets=(exposition promql policy)
out=Fuzz/out
mkdir -p "$out"

# Leak detection is off: lazily initialised globals (the policy key tables, the fuzz store) are
# reported at exit though they live for the whole process.
run() {
    local binary=$1 corpus=$2 max_len=$3
    ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
        -detect_leaks=0 -artifact_prefix="$out/" -print_final_stats=1 2>&1 | grep -v '^"' | grep -E '^(Done|stat::number_of|stat::peak)|ERROR|Fatal' || true
    # libFuzzer exits non-zero on a finding; the pipe hides it, the artifact does not.
    if compgen -G "$out/crash-*" >/dev/null || compgen -G "$out/timeout-*" >/dev/null || compgen -G "$out/oom-*" >/dev/null; then
        echo "error: $binary found a failing input in $out/" >&2
        exit 1
    fi
}

for target in "${targets[@]}"; do
    echo "==> fuzzing $target for ${seconds}s"
    case "$target" in
    exposition)
        swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
            -enable-upcoming-feature ExistentialAny \
            -enable-upcoming-feature MemberImportVisibility \
            -enable-upcoming-feature InternalImportsByDefault \
            -module-name ExpositionFuzz \
            Sources/Exposition/*.swift Fuzz/ParserFuzzer/main.swift \
            -o "$out/parser-fuzzer"
        corpus=Fuzz/corpus-work
        mkdir -p "$corpus"
        cp Fuzz/seeds/* "$corpus/"
        shared="../shared/testdata/expositions"
        if [ -d "$shared" ]; then
            for f in "$shared"/*.txt; do cp "$f" "$corpus/$(basename "$f")"; done
        fi
        run "$out/parser-fuzzer" "$corpus" 65536
        ;;
    promql | policy)
        BALLAST_FUZZ=1 swift build -c release --product "$target-fuzzer" --sanitize=fuzzer --sanitize=address \
            --scratch-path .build-fuzz >/dev/null
        corpus=Fuzz/corpus-$target
        mkdir -p "$corpus"
        # The example policies seed the policy loader.
        if [ "$target" = promql ]; then cp Fuzz/seeds-promql/* "$corpus/"; else cp policies/*.yaml "$corpus/"; fi
        run ".build-fuzz/release/$target-fuzzer" "$corpus" 8192
        ;;
    *)
        echo "error: unknown fuzz target $target (exposition, promql or policy)" >&2
        exit 2
        ;;
    esac
done
