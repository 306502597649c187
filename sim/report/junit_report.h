#pragma once
// Scenario results as JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one
// <testsuite> per use-case folder, one <testcase> per scenario.

#include <ostream>

#include "sim/scenario/results.h"

namespace pullsim::report {

// Writes JUnit XML: a testcase per scenario (name = scenario name, classname = its file), its
// rule ids as <property name="rule">, FAIL and XPASS as <failure> whose text starts with
// file:line, INVALID as <error> listing file:line:col diagnostics, XFAIL as <skipped>. All text
// is XML-escaped; characters XML 1.0 cannot carry are removed. Check `out` for write errors.
void WriteJunitReport(const scenario::RunResults& results, std::ostream& out);

}  // namespace pullsim::report
