#!/usr/bin/env bash
# Installs the Debian packages pullsim needs, only those missing; quiet and fast when all are there.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds the peers the benchmarks compare against)
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config
  # libraries
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev nlohmann-json3-dev
  libyaml-cpp-dev libssl-dev
  # bcrypt password hashes in REGISTRY.yaml (crypt_r); normally already there with libc6-dev
  libcrypt-dev
  # the HTML report deflates each scenario's details (also pulled in by libcpp-httplib-dev)
  zlib1g-dev
  # real clients and peers used by interop tests (label "interop")
  skopeo docker-registry
  # the HTML report is checked in a real browser
  chromium
  # fixtures/scenario.schema.json is checked against the fixtures (ctest scenario_schema)
  python3-jsonschema python3-yaml
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(golang-go golang-github-docker-distribution-dev nginx-light wrk curl)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
