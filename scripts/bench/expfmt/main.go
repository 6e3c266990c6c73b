// Command expfmt-throughput parses one file repeatedly with prometheus/common's expfmt
// TextParser (the reference text-format parser) and prints MB/s in the same form as Ballast's
// parse-throughput tool, so scripts/bench/parse.sh can report a ratio measured in one run.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/common/expfmt"
)

func parse(data []byte) int {
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	samples := 0
	for _, family := range families {
		samples += len(family.GetMetric())
	}
	return samples
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: expfmt-throughput FILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	metrics := parse(data)
	iterations := 1
	for {
		start := time.Now()
		for i := 0; i < iterations; i++ {
			parse(data)
		}
		if time.Since(start) >= 100*time.Millisecond {
			break
		}
		iterations *= 2
	}
	best := time.Duration(1 << 62)
	for batch := 0; batch < 5; batch++ {
		start := time.Now()
		for i := 0; i < iterations; i++ {
			parse(data)
		}
		if perPass := time.Since(start) / time.Duration(iterations); perPass < best {
			best = perPass
		}
	}
	mbps := float64(len(data)) / best.Seconds() / 1e6
	fmt.Printf("expfmt %s: %.1f MB/s (%.1f µs per pass, %d bytes, %d metrics)\n",
		filepath.Base(os.Args[1]), mbps, float64(best.Nanoseconds())/1e3, len(data), metrics)
}
