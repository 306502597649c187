#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the release preset, runs every scenario
# under fixtures/ and writes the HTML report (reports/conformance.html by default, or
# $PULLSIM_REPORT), then prints where it is. Exits as `pullsim run` does: 0 all passed, 1 a
# scenario failed, 2 a scenario file is invalid.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
pullsim=build/release/pullsim
report=${PULLSIM_REPORT:-reports/conformance.html}

status=0
"$pullsim" run fixtures/ --report "$report" || status=$?
echo "report: $report"
exit "$status"
