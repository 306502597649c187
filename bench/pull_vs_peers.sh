#!/usr/bin/env bash
# Pull throughput of the fake node beside real peers, in one run, on the same synthetic images
# (RESULTS.md's shape: an OCI index → linux/amd64 + linux/arm64; per platform a config, a 4 KiB
# layer and 4 big layers, real tar+gzip; v64 = 4 x 16 MiB, v512 = 4 x 128 MiB):
#   - in process: fake nodes pulling from the fake registry with every digest verified, beside
#     OpenSSL SHA-256 over the same bytes on one core and on both (2 threads);
#   - over loopback HTTP: pullsim's node client and skopeo (copy docker://... oci:DIR), each
#     against `pullsim serve` and against Debian's docker-registry (filled by skopeo from an OCI
#     layout pull_bench writes);
#   - 1, 4 and 16 nodes (or skopeo processes) pulling at once.
# MB/s = linux/amd64 blob bytes (config + 5 layers) x nodes / wall time, 1 MB = 10^6 B; HTTP
# figures are the wall time of the whole command (process start included), as RESULTS.md measures
# them. Medians of the repetitions with min-max; the targets take turns within a repetition.
# `pullsim serve` beside nginx (small requests, large blobs) is registry_vs_peers.sh's part.
#
# Usage: bench/pull_vs_peers.sh [--quick] [--build-dir DIR] [--repetitions N]
#   --quick         64 MiB only, 1 repetition, 1 and 4 nodes (the ctest `bench_pull_vs_peers`)
#   --build-dir DIR a configured build with pullsim and pull_bench built (e.g. build/asan);
#                   default $PULLSIM_BENCH_BUILD or build/release, configured and built if needed
#   --repetitions N default 5
# Peers that are not installed (skopeo, docker-registry) are skipped with a SKIP line. Exit status
# 1 when any pull fails or a figure for pullsim cannot be produced, 2 for a usage error.
set -euo pipefail
trap 'echo "pull_vs_peers: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PULLSIM_BENCH_BUILD:-}
repetitions=5
sizes=(64 512)
node_counts=(1 4 16)
quick=0
while (($#)); do
  case $1 in
    --quick) quick=1; sizes=(64); node_counts=(1 4); repetitions=1 ;;
    --build-dir) [[ $# -ge 2 ]] || { echo "pull_vs_peers: --build-dir needs a directory" >&2; exit 2; }
                 build=$2; shift ;;
    --repetitions) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "pull_vs_peers: --repetitions needs a number" >&2; exit 2; }
                   repetitions=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "pull_vs_peers: unexpected argument \"$1\" (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ -z $build ]]; then
  build=$root/build/release
  [[ -f $build/CMakeCache.txt ]] || cmake --preset release -B "$build" >/dev/null
  cmake --build "$build" --target pullsim pull_bench -j2 >/dev/null
fi
build=$(cd "$build" && pwd)
pullsim=$build/pullsim
pull_bench=$build/bench/pull_bench
for bin in "$pullsim" "$pull_bench"; do
  [[ -x $bin ]] || { echo "pull_vs_peers: $bin is missing (cmake --build $build --target pullsim pull_bench)" >&2; exit 1; }
done

have_skopeo=0 have_registry=0
command -v skopeo >/dev/null && have_skopeo=1
command -v docker-registry >/dev/null && have_registry=1
((have_skopeo)) || echo "SKIP skopeo: not installed (scripts/install-deps.sh); its rows stay empty"
if ((have_registry && !have_skopeo)); then
  echo "SKIP docker-registry: skopeo is needed to push the image into it"
  have_registry=0
elif ((!have_registry)); then
  echo "SKIP docker-registry: not installed (scripts/install-deps.sh); its rows stay empty"
fi

work=$(mktemp -d /tmp/pullsim-pull-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {  # a port nothing listens on
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
}
wait_port() {  # wait_port PORT WHAT: until something accepts (at most 30 s)
  for _ in $(seq 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "pull_vs_peers: $2 does not listen on 127.0.0.1:$1" >&2
  exit 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }

echo "# pull_vs_peers: $(nproc) cores, load at start $(load), build $build"
echo "# sizes ${sizes[*]} MiB, nodes ${node_counts[*]}, $repetitions repetition(s)"

# --- the images, once: an OCI layout every server gets them from ---------------------------
size_args=()
for s in "${sizes[@]}"; do size_args+=(--size "${s}MiB"); done
"$pull_bench" layout "$work/layout" "${size_args[@]}"

printf 'images:\n  - {repository: bench/img, layout: %s}\n' "$work/layout" > "$work/serve.yaml"
"$pullsim" serve --config "$work/serve.yaml" >"$work/serve.url" 2>"$work/serve.log" &
pids+=($!)
for _ in $(seq 600); do [[ -s $work/serve.url ]] && break; sleep 0.1; done
[[ -s $work/serve.url ]] || { echo "pull_vs_peers: pullsim serve did not start: $(cat "$work/serve.log")" >&2; exit 1; }
serve_url=$(head -1 "$work/serve.url")

registry_url=
if ((have_registry)); then
  port=$(free_port)
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog: {disabled: true}\nstorage:\n  filesystem: {rootdirectory: %s}\n  cache: {blobdescriptor: inmemory}\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/registry-data" "$port" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
  pids+=($!)
  wait_port "$port" docker-registry
  registry_url=http://127.0.0.1:$port
  for s in "${sizes[@]}"; do
    HOME=$work skopeo copy --quiet --insecure-policy --all --preserve-digests --dest-tls-verify=false \
      "oci:$work/layout:v$s" "docker://127.0.0.1:$port/bench/img:v$s" >/dev/null
  done
fi

# --- runs ---------------------------------------------------------------------------------
results=$work/results.tsv  # series, repetition, MB/s
: > "$results"
image_bytes=()  # per size: the linux/amd64 blob bytes of one pull

for s in "${sizes[@]}"; do
  counts=$(IFS=,; echo "${node_counts[*]}")
  "$pull_bench" in-process --size "${s}MiB" --nodes "$counts" --repetitions "$repetitions" > "$work/in-process.tsv"
  cut -f1-3 "$work/in-process.tsv" >> "$results"
  bytes=$(awk -F'\t' -v s="in-process/size:${s}MiB/nodes:1" '$1 == s { print $4; exit }' "$work/in-process.tsv")
  if [[ -z $bytes ]]; then
    bytes=$("$pull_bench" http --registry "$serve_url" --image "bench/img:v$s" | cut -f4)
  fi
  image_bytes[$s]=$bytes
done

# time_pull SERIES REP BYTES CMD...: runs CMD, records BYTES / its wall time.
time_pull() {
  local series=$1 rep=$2 bytes=$3; shift 3
  local start end
  start=$(now)
  if ! "$@" > "$work/last.out" 2> "$work/last.err"; then
    echo "pull_vs_peers: $series failed: $(tail -5 "$work/last.err")" >&2
    exit 1
  fi
  end=$(now)
  awk -v s="$series" -v r="$rep" -v b="$bytes" -v t0="$start" -v t1="$end" \
    'BEGIN { printf "%s\t%d\t%.1f\n", s, r, b / (t1 - t0) / 1e6 }' >> "$results"
}
# skopeo_pull URL SIZE N: N skopeo processes at once, each into its own oci: directory.
skopeo_pull() {
  local host=${1#http://} size=$2 n=$3 i
  local spids=()
  for ((i = 0; i < n; i++)); do
    HOME=$work skopeo copy --quiet --insecure-policy --src-tls-verify=false \
      "docker://$host/bench/img:v$size" "oci:$work/out/$i:v$size" &
    spids+=($!)
  done
  local status=0
  for pid in "${spids[@]}"; do wait "$pid" || status=1; done
  return $status
}

for ((rep = 0; rep < repetitions; rep++)); do
  for s in "${sizes[@]}"; do
    for n in "${node_counts[@]}"; do
      targets=(pullsim:serve)
      [[ -n $registry_url ]] && targets+=(pullsim:registry)
      if ((have_skopeo)); then
        # 16 skopeo copies of 512 MiB write 8 GiB: that measures the disk, not the client.
        if ((s < 512 || n < 16)); then
          targets+=(skopeo:serve)
          [[ -n $registry_url ]] && targets+=(skopeo:registry)
        fi
      fi
      # Turn the order each repetition, so that load from elsewhere does not always hit one.
      k=$(( (rep + n) % ${#targets[@]} ))
      targets=("${targets[@]:k}" "${targets[@]:0:k}")
      for target in "${targets[@]}"; do
        client=${target%%:*} server=${target#*:}
        url=$serve_url
        [[ $server == registry ]] && url=$registry_url
        series="http/$client/$server/size:${s}MiB/nodes:$n"
        total=$(( ${image_bytes[$s]} * n ))
        rm -rf "$work/out"; mkdir -p "$work/out"
        if [[ $client == pullsim ]]; then
          time_pull "$series" "$rep" "$total" \
            "$pull_bench" http --registry "$url" --image "bench/img:v$s" --nodes "$n"
        else
          time_pull "$series" "$rep" "$total" skopeo_pull "$url" "$s" "$n"
        fi
      done
    done
  done
done
rm -rf "$work/out"

# --- table ----------------------------------------------------------------------------------
# stat SERIES: "median min max" of its MB/s, or "- - -".
stat() {
  awk -F'\t' -v s="$1" '$1 == s { print $3 }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "- - -"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'
}
median() { stat "$1" | cut -d' ' -f1; }
cell() {  # "median (min-max)"
  read -r m lo hi <<<"$(stat "$1")"
  if [[ $m == - ]]; then echo "-"; else echo "$m ($lo-$hi)"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() {  # verdict VALUE TARGET
  awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "no figure"; else if (v + 0 >= t + 0) print "met"; else print "BELOW" }'
}

echo
echo "## In process: verified pulls beside OpenSSL SHA-256 over the same bytes (MB/s, median (min-max))"
echo
printf '| %-6s | %-17s | %-17s | %-7s | %-17s | %-8s |\n' image "sha256 1 core" "sha256 2 threads" nodes "pulls (aggregate)" "ratio"
printf '|%s|%s|%s|%s|%s|%s|\n' -------- ------------------- ------------------- --------- ------------------- ----------
for s in "${sizes[@]}"; do
  sha1=$(median "sha256/size:${s}MiB/threads:1")
  sha2=$(median "sha256/size:${s}MiB/threads:2")
  for n in "${node_counts[@]}"; do
    pull=$(median "in-process/size:${s}MiB/nodes:$n")
    # One node runs on one core; more nodes can use both.
    if ((n == 1)); then r="$(ratio "$pull" "$sha1") /1c"; else r="$(ratio "$pull" "$sha2") /2c"; fi
    printf '| %-6s | %-17s | %-17s | %-7s | %-17s | %-8s |\n' "v$s" \
      "$(cell "sha256/size:${s}MiB/threads:1")" "$(cell "sha256/size:${s}MiB/threads:2")" "$n" \
      "$(cell "in-process/size:${s}MiB/nodes:$n")" "$r"
  done
done

echo
echo "## Over loopback HTTP: whole pulls of linux/amd64 (MB/s aggregate, median (min-max))"
echo
printf '| %-6s | %-5s | %-17s | %-17s | %-17s | %-17s | %-9s | %-9s |\n' image nodes \
  "pullsim -> serve" "pullsim -> d-reg" "skopeo -> serve" "skopeo -> d-reg" "p/s serve" "p/s d-reg"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------- ------- ------------------- ------------------- ------------------- ------------------- ----------- -----------
for s in "${sizes[@]}"; do
  for n in "${node_counts[@]}"; do
    p_s="http/pullsim/serve/size:${s}MiB/nodes:$n"; p_r="http/pullsim/registry/size:${s}MiB/nodes:$n"
    k_s="http/skopeo/serve/size:${s}MiB/nodes:$n";  k_r="http/skopeo/registry/size:${s}MiB/nodes:$n"
    printf '| %-6s | %-5s | %-17s | %-17s | %-17s | %-17s | %-9s | %-9s |\n' "v$s" "$n" \
      "$(cell "$p_s")" "$(cell "$p_r")" "$(cell "$k_s")" "$(cell "$k_r")" \
      "$(ratio "$(median "$p_s")" "$(median "$k_s")")" "$(ratio "$(median "$p_r")" "$(median "$k_r")")"
  done
done

echo
echo "## Targets (issue 9)"
echo
big=${sizes[-1]}
many=${node_counts[-1]}
r=$(ratio "$(median "in-process/size:${big}MiB/nodes:$many")" "$(median "sha256/size:${big}MiB/threads:2")")
echo "- in-process pulls, $many nodes, v$big / SHA-256 on both cores >= 0.85: $r ($(verdict "$r" 0.85))"
r=$(ratio "$(median "in-process/size:${big}MiB/nodes:1")" "$(median "sha256/size:${big}MiB/threads:1")")
echo "- in-process pull, 1 node, v$big / SHA-256 on one core (same bytes): $r"
r=$(ratio "$(median "http/pullsim/serve/size:${big}MiB/nodes:1")" "$(median "sha256/size:${big}MiB/threads:1")")
echo "- one HTTP pull (pullsim client -> serve), v$big / SHA-256 on one core >= 0.65: $r ($(verdict "$r" 0.65))"
r=$(ratio "$(median "http/pullsim/registry/size:${big}MiB/nodes:1")" "$(median "sha256/size:${big}MiB/threads:1")")
echo "- one HTTP pull (pullsim client -> docker-registry), v$big / SHA-256 on one core >= 0.65: $r ($(verdict "$r" 0.65))"
for server in serve registry; do
  r=$(ratio "$(median "http/pullsim/$server/size:${big}MiB/nodes:1")" "$(median "http/skopeo/$server/size:${big}MiB/nodes:1")")
  echo "- one HTTP pull from $([[ $server == serve ]] && echo 'pullsim serve' || echo docker-registry), v$big: pullsim client / skopeo >= 3.5: $r ($(verdict "$r" 3.5))"
done
echo "- pullsim serve beside nginx (small requests within 2x, large blobs as fast): bench/registry_vs_peers.sh"
echo
echo "# load at end $(load)"

# pullsim's own figures must all be there.
for s in "${sizes[@]}"; do
  for n in "${node_counts[@]}"; do
    for series in "in-process/size:${s}MiB/nodes:$n" "http/pullsim/serve/size:${s}MiB/nodes:$n"; do
      [[ $(median "$series") != - ]] || { echo "pull_vs_peers: no figure for $series" >&2; exit 1; }
    done
  done
done
