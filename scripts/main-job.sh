#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the release preset, runs every scenario
# under fixtures/ and writes the HTML report (reports/conformance.html by default).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
pullsim=build/release/pullsim
report=${PULLSIM_REPORT:-reports/conformance.html}

if "$pullsim" --help | grep -q '^  run '; then
  "$pullsim" run fixtures/ --report "$report"
  echo "report: $report"
else
  # Until the scenario runner lands (issue #7), run what exists: the conformance vector suites.
  echo "main-job: 'pullsim run' is not built yet; running the conformance suites instead" >&2
  ctest --preset release -L conformance
fi
