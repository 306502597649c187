// goref: the peer of bench/reference_bench.cpp. Times docker/distribution's ParseNormalizedNamed
// (Debian's golang-github-docker-distribution-dev, built offline in GOPATH mode) on the same
// three inputs and prints "<case> <ns/op>" per line, the median of three testing.Benchmark runs.
package main

import (
	// The kubelet links both; go-digest only accepts a sha256 digest when crypto/sha256 is in.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/docker/distribution/reference"
)

var cases = []struct{ name, input string }{
	{"familiar", "nginx"},
	{"fully_qualified", "registry.example.com:5000/team/app:v1.42.0"},
	{"digest", "docker.io/library/busybox@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
}

var sink reference.Named

func main() {
	for _, c := range cases {
		if _, err := reference.ParseNormalizedNamed(c.input); err != nil {
			fmt.Fprintf(os.Stderr, "goref: %s: %v\n", c.input, err)
			os.Exit(1)
		}
		input := c.input
		var runs []float64
		for i := 0; i < 3; i++ {
			result := testing.Benchmark(func(b *testing.B) {
				for n := 0; n < b.N; n++ {
					named, err := reference.ParseNormalizedNamed(input)
					if err != nil {
						b.Fatal(err)
					}
					sink = named
				}
			})
			runs = append(runs, float64(result.T.Nanoseconds())/float64(result.N))
		}
		sort.Float64s(runs)
		fmt.Printf("%s %.1f\n", c.name, runs[1])
	}
}
