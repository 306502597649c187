#!/usr/bin/env bash
# The registry's HTTP front (`pullsim serve`) beside nginx serving the same files and Debian's
# docker-registry holding the same image, in one run, on loopback, under wrk: manifest GETs/s,
# small-blob (4 KiB) GETs/s and large-blob (64 MiB) MB/s at 1, 4 and 16 connections; then the
# cost of auth (Basic with a bcrypt password, bearer tokens) against auth off. Prints the figures
# and the ratios the targets are stated in:
#   pullsim / nginx requests/s >= 0.5,  large blobs pullsim / nginx >= 1.0,  auth on / off >= 0.9.
#
# Usage: bench/registry_vs_peers.sh   (PULLSIM_BENCH_BUILD=<dir>, default build/release;
#                                      PULLSIM_BENCH_SECONDS=<s> per run, default 2;
#                                      PULLSIM_BENCH_REPEATS=<n>, default 3)
# Each figure is the best of REPEATS runs, the targets taking turns, so that a burst of load from
# elsewhere on a shared machine hurts one run, not one target.
# Needs: wrk, nginx (nginx-light), docker-registry, skopeo, curl (scripts/install-deps.sh --bench).
set -euo pipefail
trap 'echo "registry_vs_peers: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PULLSIM_BENCH_BUILD:-$root/build/release}
seconds=${PULLSIM_BENCH_SECONDS:-2}
repeats=${PULLSIM_BENCH_REPEATS:-3}

for tool in wrk nginx docker-registry skopeo curl; do
  command -v "$tool" >/dev/null || { echo "registry_vs_peers: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx)

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake --preset release -B "$build" >/dev/null
fi
cmake --build "$build" --target pullsim registry_bench -j2 >/dev/null
pullsim="$build/pullsim"

work=$(mktemp -d /tmp/pullsim-registry-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port nothing listens on (nginx and docker-registry need one named; pullsim picks its own).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
}

wait_http() {  # wait_http URL: until anything answers (at most 10 s)
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "registry_vs_peers: nothing answers on $1" >&2
  exit 1
}

# --- pullsim: open, Basic (bcrypt, as htpasswd), tokens -------------------------------------
alice_hash='$2b$05$WHRr47kT5CXlxDINpiwv8eqsnUG2NQGm/7kByIMrMK5fAq6BFY9j.'  # alice-pw
image='images: [{repository: bench/app, tag: "1.0", layers: [4KiB, 64MiB], seed: 1}]'
printf '%s\n' "$image" > "$work/open.yaml"
printf 'auth: basic\nusers: [{name: alice, password_hash: "%s"}]\n%s\n' "$alice_hash" "$image" > "$work/basic.yaml"
printf 'auth: token\ntoken_ttl: 24h\nusers: [{name: alice, password_hash: "%s"}]\n%s\n' "$alice_hash" "$image" > "$work/token.yaml"

# Servers start in this shell (not in $(...)), so that cleanup knows every pid.
start_pullsim() {  # start_pullsim NAME VAR: sets VAR to the base URL
  "$pullsim" serve --config "$work/$1.yaml" >"$work/$1.url" 2>"$work/$1.log" &
  pids+=($!)
  for _ in $(seq 100); do
    if [[ -s "$work/$1.url" ]]; then
      printf -v "$2" '%s' "$(head -1 "$work/$1.url")"
      return
    fi
    sleep 0.1
  done
  echo "registry_vs_peers: pullsim serve did not start: $(cat "$work/$1.log")" >&2
  exit 1
}
start_pullsim open p_open
start_pullsim basic p_basic
start_pullsim token p_token

accept='Accept: application/vnd.oci.image.manifest.v1+json'
manifest=$(curl -sf -H "$accept" "$p_open/v2/bench/app/manifests/1.0")
mapfile -t digests < <(grep -o '"digest":"sha256:[0-9a-f]*"' <<<"$manifest" | cut -d'"' -f4)
small=${digests[1]}  # config first, then the 4 KiB and the 64 MiB layer
large=${digests[2]}
basic_auth="Authorization: Basic $(printf 'alice:alice-pw' | base64)"
token=$(curl -sf -u alice:alice-pw "$p_token/token?service=pullsim&scope=repository:bench/app:pull" |
        grep -o '"token":"[^"]*"' | cut -d'"' -f4)
token_auth="Authorization: Bearer $token"

# --- nginx: the very bytes as static files -----------------------------------------------------
mkdir -p "$work/nginx/root/v2/bench/app/manifests" "$work/nginx/root/v2/bench/app/blobs" "$work/nginx/tmp"
printf '%s' "$manifest" > "$work/nginx/root/v2/bench/app/manifests/1.0"
for d in "${digests[@]}"; do curl -sf "$p_open/v2/bench/app/blobs/$d" -o "$work/nginx/root/v2/bench/app/blobs/$d"; done
chmod -R a+rX "$work/nginx"
n_port=$(free_port)
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$n_port; root $work/nginx/root; }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr" &
pids+=($!)
n_url="http://127.0.0.1:$n_port"
wait_http "$n_url/"

# --- docker-registry: open and htpasswd, the image copied in by skopeo ------------------------
start_docker_registry() {  # start_docker_registry NAME VAR [htpasswd]: sets VAR to the base URL
  local port; port=$(free_port)
  {
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog: {disabled: true}\n'
    printf 'storage:\n  filesystem: {rootdirectory: %s}\n' "$work/$1-data"
    printf 'http:\n  addr: 127.0.0.1:%s\n' "$port"
    if [[ -n "${3:-}" ]]; then
      printf 'alice:%s\n' "$alice_hash" > "$work/$1.htpasswd"
      printf 'auth:\n  htpasswd: {realm: basic-realm, path: %s}\n' "$work/$1.htpasswd"
    fi
  } > "$work/$1.yml"
  docker-registry serve "$work/$1.yml" >"$work/$1.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/v2/"
  printf -v "$2" '%s' "http://127.0.0.1:$port"
}
start_docker_registry dr-open d_open
start_docker_registry dr-basic d_basic htpasswd
for target in "$d_open" "$d_basic"; do
  HOME=$work skopeo copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
    --dest-creds alice:alice-pw "docker://${p_open#http://}/bench/app:1.0" \
    "docker://${target#http://}/bench/app:1.0" >/dev/null
done

# --- runs -------------------------------------------------------------------------------------
# rps URL CONNECTIONS [HEADER...]: requests per second (non-2xx answers make it fail).
rps() {
  local url=$1 conns=$2; shift 2
  local threads=$((conns < 2 ? 1 : 2)) args=() out
  for h in "$@"; do args+=(-H "$h"); done
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" "${args[@]}" "$url")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "registry_vs_peers: non-2xx answers from $url: $out" >&2
    exit 1
  fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }
# best VAR URL CONNECTIONS [HEADER...]: raises VAR to this run's requests/s when higher.
best() {
  local var=$1; shift
  local r; r=$(rps "$@")
  printf -v "$var" '%s' "$(max "${!var:-0}" "$r")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mbs() { awk -v r="$1" 'BEGIN { printf "%.0f", r * 64 * 1048576 / 1e6 }'; }

path_manifest=/v2/bench/app/manifests/1.0
path_small=/v2/bench/app/blobs/$small
path_large=/v2/bench/app/blobs/$large

echo "# pullsim serve vs nginx vs docker-registry on loopback (wrk, best of $repeats x ${seconds}s, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo
printf '%-14s %5s %12s %12s %12s %10s %10s\n' what conns nginx docker-reg pullsim 'p/nginx' 'p/docker'
for kind in manifest small large; do
  path_var=path_$kind
  for conns in 1 4 16; do
    n=0 d=0 p=0
    for _ in $(seq "$repeats"); do
      best n "$n_url${!path_var}" "$conns" "$accept"
      best d "$d_open${!path_var}" "$conns" "$accept"
      best p "$p_open${!path_var}" "$conns" "$accept"
    done
    if [[ $kind == large ]]; then
      printf '%-14s %5s %9s MB/s %7s MB/s %7s MB/s %10s %10s\n' "large blob" "$conns" \
        "$(mbs "$n")" "$(mbs "$d")" "$(mbs "$p")" "$(ratio "$p" "$n")" "$(ratio "$p" "$d")"
    else
      printf '%-14s %5s %10.0f/s %10.0f/s %10.0f/s %10s %10s\n' \
        "$([[ $kind == manifest ]] && echo manifest || echo 'small blob')" "$conns" \
        "$n" "$d" "$p" "$(ratio "$p" "$n")" "$(ratio "$p" "$d")"
    fi
  done
done

echo
echo "# auth on vs off (requests/s; Basic checks a bcrypt password, cached after the first)"
echo
printf '%-14s %5s %12s %12s %12s %10s %10s %12s %12s %10s\n' what conns pullsim p+basic p+token \
  basic/off token/off docker-reg d+basic basic/off
for kind in manifest small; do
  path_var=path_$kind
  for conns in 1 4 16; do
    p=0 pb=0 pt=0 d=0 db=0
    for _ in $(seq "$repeats"); do
      best p "$p_open${!path_var}" "$conns" "$accept"
      best pb "$p_basic${!path_var}" "$conns" "$accept" "$basic_auth"
      best pt "$p_token${!path_var}" "$conns" "$accept" "$token_auth"
      best d "$d_open${!path_var}" "$conns" "$accept"
      best db "$d_basic${!path_var}" "$conns" "$accept" "$basic_auth"
    done
    printf '%-14s %5s %10.0f/s %10.0f/s %10.0f/s %10s %10s %10.0f/s %10.0f/s %10s\n' \
      "$([[ $kind == manifest ]] && echo manifest || echo 'small blob')" "$conns" "$p" "$pb" "$pt" \
      "$(ratio "$pb" "$p")" "$(ratio "$pt" "$p")" "$d" "$db" "$(ratio "$db" "$d")"
  done
done

echo
echo "# in process and one HTTP connection (registry_bench)"
"$build/bench/registry_bench" --benchmark_min_time=0.2 2>/dev/null |
  grep -E '^BM_' | awk '{printf "%-34s %s\n", $1, $NF}'
