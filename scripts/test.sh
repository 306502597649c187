#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with the asan preset, runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan "$@"
