#!/usr/bin/env bash
# Parser throughput, Ballast vs prometheus/common expfmt, measured in the same run on the same
# machine (one core each; each tool keeps its best of 5 batches, and the best of 3 alternating
# runs is reported; MB = 10^6 bytes):
#   bash scripts/bench/parse.sh
# Inputs: the upstream benchmark file alltypes.237mfs.prom.txt from ../shared/testdata and a
# ~50 MB exposition made of renamed copies of it (so every family is still declared once).
# Ballast's side visits every sample and reads every decoded label name and value.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/prometheus/common/expfmt ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends golang-go golang-github-prometheus-common-dev
fi
source scripts/install-deps.sh

work=.build-bench
mkdir -p "$work"
template=../shared/testdata/expositions/alltypes.237mfs.prom.txt
if [ ! -f "$template" ]; then
    echo "error: $template is missing (the shared test data sits next to the repository)" >&2
    exit 1
fi

echo "building the expfmt harness and Ballast's parse-throughput (release)..."
(cd scripts/bench/expfmt && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/../../../$work/go-cache" go build -o "../../../$work/expfmt-throughput" .)
BALLAST_BENCHMARKS=1 swift build -c release --product parse-throughput --scratch-path .build-bench-tools >/dev/null
ballast_bin=.build-bench-tools/release/parse-throughput

large="$work/large.prom.txt"
if [ ! -s "$large" ]; then
    # The same renaming as BenchmarkInputs.large in the benchmark package.
    awk -v limit=50000000 '
        { lines[++n] = $0 }
        END {
            while (total < limit) {
                copy++
                prefix = "c" copy "_"
                for (i = 1; i <= n; i++) {
                    line = lines[i]
                    if (line ~ /^# (HELP|TYPE) /) out = substr(line, 1, 7) prefix substr(line, 8)
                    else if (line == "" || line ~ /^#/) continue
                    else out = prefix line
                    print out
                    total += length(out) + 1
                }
            }
        }' "$template" >"$large"
fi

rate() { sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p'; }
# The machine is shared, so each side runs three times, alternating, and keeps its best run.
fastest() { awk -F': ' '{ split($2, a, " "); print a[1] "\t" $0 }' | sort -g | tail -n 1 | cut -f2-; }
for input in "$template" "$large"; do
    ours=""
    theirs=""
    for _ in 1 2 3; do
        ours+="$("$ballast_bin" "$input")"$'\n'
        theirs+="$("$work/expfmt-throughput" "$input")"$'\n'
    done
    ours=$(printf '%s' "$ours" | fastest)
    theirs=$(printf '%s' "$theirs" | fastest)
    echo "$ours"
    echo "$theirs"
    awk -v a="$(echo "$ours" | rate)" -v b="$(echo "$theirs" | rate)" \
        'BEGIN { printf "ratio: Ballast parses %.1fx as fast as expfmt\n\n", a / b }'
done

# The convenient API that copies every sample into Strings ([ParsedSample]), for comparison.
copied=""
for _ in 1 2 3; do copied+="$("$ballast_bin" "$template" --copy)"$'\n'; done
printf '%s' "$copied" | fastest
