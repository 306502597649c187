#!/usr/bin/env bash
# Image references parsed per second: pullsim's ParseNormalizedNamed (bench/reference_bench.cpp,
# release preset) beside docker/distribution's (bench/goref, Debian's Go package, built offline),
# on the same three inputs in one run. Prints ns/op for each and the ratio Go/pullsim.
# Usage: bench/reference_vs_go.sh            (PULLSIM_BENCH_BUILD overrides the build folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PULLSIM_BENCH_BUILD:-$root/build/release}

"$root/scripts/install-deps.sh" --bench
cmake --preset release -B "$build" >/dev/null
build=$(cd "$build" && pwd)  # absolute: GOCACHE must be
cmake --build "$build" --target reference_bench -j2 >/dev/null

# GOPATH mode: the import path resolves in /usr/share/gocode, nothing is downloaded.
gobin="$build/bench/goref"
(cd "$root/bench/goref" &&
  GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOCACHE="$build/go-cache" \
    go build -o "$gobin" .)

cpp_csv="$build/bench/reference_bench.csv"
"$build/bench/reference_bench" --benchmark_filter='^BM_ParseReference/' \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=csv >"$cpp_csv" 2>/dev/null
go_out=$("$gobin")

# CSV rows look like "BM_ParseReference/familiar_median",iterations,real_time,cpu_time,ns,...
# and goref prints "<case> <wall ns/op> <cpu ns/op>". CPU time leads: it is what a parse costs and
# holds steady on a busy machine; the wall-clock ratio follows for comparison.
echo "input            pullsim ns/op    Go ns/op   Go/pullsim   (CPU time; wall-clock ratio)"
awk -v go_out="$go_out" -F, '
  BEGIN {
    n = split(go_out, lines, "\n")
    for (i = 1; i <= n; i++) { split(lines[i], f, " "); go_wall[f[1]] = f[2]; go_cpu[f[1]] = f[3] }
  }
  $1 ~ /_median"$/ {
    name = $1; gsub(/"/, "", name); sub(/^BM_ParseReference\//, "", name); sub(/_median$/, "", name)
    order[++count] = name; cpp_wall[name] = $3; cpp_cpu[name] = $4
  }
  END {
    if (count == 0) { print "reference_vs_go: no benchmark rows" > "/dev/stderr"; exit 1 }
    for (i = 1; i <= count; i++) {
      name = order[i]
      if (!(name in go_cpu)) { print "reference_vs_go: Go printed no " name > "/dev/stderr"; exit 1 }
      printf "%-16s %13.1f %11.1f %11.1fx   (%.1fx)\n", name, cpp_cpu[name], go_cpu[name],
             go_cpu[name] / cpp_cpu[name], go_wall[name] / cpp_wall[name]
    }
  }' "$cpp_csv"
