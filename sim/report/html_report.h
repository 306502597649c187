#pragma once
// The conformance report as one self-contained HTML page (inline CSS and script, no network):
// a summary, every rule of the catalogue with its status and the scenarios and tests that check
// it, and each scenario with its failures, world, pod timelines, events, credentials tried,
// platform chosen and registry request log. Written for a reviewer who has not seen pullsim.

#include <ostream>

#include "sim/core/rule_catalogue.h"
#include "sim/scenario/results.h"

namespace pullsim::report {

// Writes the report. Every text from `results` and `catalogue` is escaped (HTML text and
// attribute contexts; the JSON the page embeds cannot close its <script>); invalid UTF-8 becomes
// U+FFFD. A rule's status is the worst of its scenarios and tests (FAIL, XPASS, PASS, XFAIL;
// UNTESTED when none). The same inputs give the same bytes. Check `out` for write errors.
void WriteHtmlReport(const scenario::RunResults& results, const RuleCatalogue& catalogue,
                     std::ostream& out);

}  // namespace pullsim::report
