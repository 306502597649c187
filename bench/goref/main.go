// goref: the peer of bench/reference_bench.cpp. Times docker/distribution's ParseNormalizedNamed
// (Debian's golang-github-docker-distribution-dev, built offline in GOPATH mode) on the same
// three inputs and prints "<case> <wall ns/op> <cpu ns/op>" per line, each the median of three
// runs of at least half a second. CPU time is the whole process's (getrusage), so the garbage
// collector's work on other threads counts, as it is part of what a parse costs.
package main

import (
	// The kubelet links both; go-digest only accepts a sha256 digest when crypto/sha256 is in.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"fmt"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/docker/distribution/reference"
)

var cases = []struct{ name, input string }{
	{"familiar", "nginx"},
	{"fully_qualified", "registry.example.com:5000/team/app:v1.42.0"},
	{"digest", "docker.io/library/busybox@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
}

var sink reference.Named

func cpuNanos() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

// run parses input n times; it returns wall and CPU nanoseconds in total.
func run(input string, n int) (float64, float64) {
	runtime.GC()
	cpu0 := cpuNanos()
	start := time.Now()
	for i := 0; i < n; i++ {
		named, err := reference.ParseNormalizedNamed(input)
		if err != nil {
			panic(err)
		}
		sink = named
	}
	wall := time.Since(start)
	return float64(wall.Nanoseconds()), float64(cpuNanos() - cpu0)
}

// measure grows n until a run lasts half a second, then returns per-op wall and CPU time.
func measure(input string) (float64, float64) {
	n := 1000
	for {
		wall, cpu := run(input, n)
		if wall >= 0.5e9 {
			return wall / float64(n), cpu / float64(n)
		}
		n *= 4
	}
}

func main() {
	for _, c := range cases {
		if _, err := reference.ParseNormalizedNamed(c.input); err != nil {
			fmt.Fprintf(os.Stderr, "goref: %s: %v\n", c.input, err)
			os.Exit(1)
		}
		var walls, cpus []float64
		for i := 0; i < 3; i++ {
			wall, cpu := measure(c.input)
			walls = append(walls, wall)
			cpus = append(cpus, cpu)
		}
		sort.Float64s(walls)
		sort.Float64s(cpus)
		fmt.Printf("%s %.1f %.1f\n", c.name, walls[1], cpus[1])
	}
}
