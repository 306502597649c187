#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the release preset, runs the test
# executables that check rules (ctest labels unit and conformance), each writing its GoogleTest
# JSON report to reports/tests/<name>.json and its output to reports/tests/<name>.log, then runs
# every scenario under fixtures/ and writes the HTML report from both (reports/conformance.html by
# default, or $PULLSIM_REPORT), and prints where it is.
# Exits as `pullsim run` does: 0 all passed, 1 a scenario or test failed, 2 a scenario file is
# invalid; a test executable that fails without a report (a crash) also makes it exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build/release
tests_dir=reports/tests
report=${PULLSIM_REPORT:-reports/conformance.html}
mkdir -p reports

echo "build: release preset (log: reports/build.log)"
if ! { cmake --preset release && cmake --build --preset release; } >reports/build.log 2>&1; then
  tail -n 40 reports/build.log
  echo "build: FAILED; the whole log is reports/build.log" >&2
  exit 1
fi

# The GoogleTest executables ctest labels unit or conformance. Those labelled interop (real
# skopeo, docker-registry, Chromium) stay with scripts/test.sh; pullsim_testing_test checks
# CoversRule() itself with sample ids, so its tests are evidence for no rule.
rule_test_executables() {
  ctest --test-dir "$build" --show-only=json-v1 -L '^(unit|conformance)$' | python3 -c '
import json, os, sys
seen = []
for test in json.load(sys.stdin)["tests"]:
    command = test.get("command") or [""]
    name = os.path.basename(command[0])
    if name.startswith("pullsim_") and name != "pullsim_testing_test" and command[0] not in seen:
        seen.append(command[0])
print("\n".join(seen))'
}

# One line per executable: PASS or FAIL, how many tests ran, the time.
rm -rf "$tests_dir"
mkdir -p "$tests_dir"
tests_out=$(pwd)/$tests_dir
executables=$(rule_test_executables)
tests_failed=0
for executable in $executables; do
  name=$(basename "$executable")
  log=$tests_dir/$name.log
  start=$SECONDS
  exit_code=0
  (cd "$(dirname "$executable")" && "$executable" --gtest_output="json:$tests_out/$name.json") \
    >"$log" 2>&1 || exit_code=$?
  ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests\? from .* ran\..*/\1/p' "$log" | tail -n 1)
  summary="${ran:-?} tests, $((SECONDS - start))s"
  if ((exit_code == 0)); then
    echo "tests: PASS $name ($summary)"
    continue
  fi
  tests_failed=$((tests_failed + 1))
  failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below:/\1/p' "$log" | tail -n 1)
  if [[ -n "$failed" ]]; then
    echo "tests: FAIL $name ($failed failed of $summary); see $log"
  elif [[ -f "$tests_out/$name.json" ]]; then
    echo "tests: FAIL $name (exit status $exit_code, $summary); see $log"
  else
    echo "tests: FAIL $name (exit status $exit_code, no JSON report: crashed?); see $log"
  fi
done
if [[ -z "$executables" ]]; then
  echo "tests: none found under $build (ctest labels unit, conformance)" >&2
  tests_failed=1
fi

tests_args=()
if compgen -G "$tests_dir/*.json" >/dev/null; then tests_args=(--tests "$tests_dir"); fi
status=0
"$build/pullsim" run fixtures/ "${tests_args[@]}" --report "$report" || status=$?
echo "report: $report"
if ((status == 0 && tests_failed > 0)); then status=1; fi
exit "$status"
