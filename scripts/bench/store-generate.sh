#!/usr/bin/env bash
# Writes a synthetic OpenMetrics backfill file: SERIES series (20 metric families: counters,
# gauges, constants) of STEPS samples each, one every 15 s, ending STEPS*15 s before 2024-01-01.
# Counters grow by irregular increments and gauges wander, so the file compresses like scraped
# data rather than like a constant. Usage: store-generate.sh SERIES STEPS > FILE
set -euo pipefail
series=${1:-2000}
steps=${2:-1440}
awk -v series="$series" -v steps="$steps" 'BEGIN {
    families = 20
    per = int(series / families)
    start = 1704067200 - steps * 15
    seed = 12345
    for (f = 0; f < families; f++) {
        kind = f % 4
        name = "bench_metric_" f (kind == 0 ? "_total" : "")
        if (kind == 0) printf "# TYPE bench_metric_%d counter\n", f
        else printf "# TYPE %s gauge\n", name
        for (s = 0; s < per; s++) {
            labels = sprintf("{instance=\"host-%03d:9100\",job=\"node\",cpu=\"%d\"}", s, f)
            v = (kind == 0) ? 1000 * s : 50 + s
            for (t = 0; t < steps; t++) {
                seed = (seed * 1103515245 + 12345) % 2147483648
                r = seed / 2147483648
                if (kind == 0) v += int(r * 40)
                else if (kind == 1) v = int(v * 100 + (r - 0.5) * 200) / 100
                else if (kind == 2) v = (t % 40 == 0) ? int(r * 8) : v
                else v = r < 0.02 ? v + 1 : v
                printf "%s%s %s %d\n", name, labels, v, start + t * 15
            }
        }
    }
    print "# EOF"
}'
