#include "sim/report/html_report.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/report/internal/assets.h"
#include "sim/report/internal/deflate.h"
#include "sim/report/internal/json_writer.h"
#include "sim/report/internal/line_diff.h"
#include "sim/report/internal/results_json.h"
#include "sim/report/internal/text.h"

namespace pullsim::report {
namespace {

using scenario::RuleResult;
using scenario::RuleStatus;
using scenario::RunResults;
using scenario::ScenarioResult;
using scenario::ScenarioStatus;

// Rule rows link at most this many scenarios; a button filters the list to all of them.
constexpr std::size_t kLinksPerRule = 12;
// Tests listed under a rule; the rest are counted.
constexpr std::size_t kTestsPerRule = 40;

// Appends to the page: `<<` for markup this file writes, Text() for anything else (escaped).
class Html {
 public:
  explicit Html(std::string& out) : out_(out) {}

  // Markup written by this file: appended as is.
  Html& operator<<(std::string_view markup) {
    out_ += markup;
    return *this;
  }
  // Text from results or the catalogue: escaped for text and attribute contexts alike.
  Html& Text(std::string_view text) {
    internal::AppendHtml(out_, text);
    return *this;
  }

 private:
  std::string& out_;
};

bool IsBad(ScenarioStatus status) {
  return status == ScenarioStatus::kFail || status == ScenarioStatus::kXpass ||
         status == ScenarioStatus::kInvalid;
}

// The rule's status as shown: NOT SIMULATED for an untested rule the catalogue excuses.
std::string_view RuleClass(const RuleResult& rule) {
  if (rule.status == RuleStatus::kUntested && !rule.not_simulated.empty()) return "NOTSIM";
  return scenario::StatusName(rule.status);
}

std::string_view RuleLabel(const RuleResult& rule) {
  if (rule.status == RuleStatus::kUntested && !rule.not_simulated.empty()) return "NOT SIMULATED";
  return scenario::StatusName(rule.status);
}

bool IsBadRule(const RuleResult& rule) {
  return rule.status == RuleStatus::kFail || rule.status == RuleStatus::kXpass ||
         (rule.status == RuleStatus::kUntested && rule.not_simulated.empty());
}

// Wall-clock durations rounded to the millisecond, Go style: "1.234s", "2m3.5s".
std::string FormatWall(Duration d) {
  return FormatDuration(std::chrono::round<std::chrono::milliseconds>(d));
}

std::string Percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "0";
  return std::to_string(static_cast<double>(part) * 100.0 / static_cast<double>(whole));
}

void WriteHead(Html& html) {
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          // No network: nothing but inline style, inline script and data: images may load.
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>pullsim conformance report</title>\n<style>\n"
       << internal::kReportCss << "</style>\n</head>\n";
}

void WriteSummary(Html& html, const RunResults& results, const std::vector<RuleResult>& rules) {
  scenario::StatusCounts counts = scenario::CountStatuses(results.scenarios);
  scenario::RuleCounts rule_counts = scenario::CountRules(rules);
  std::size_t catalogue_size =
      rule_counts.covered + rule_counts.uncovered + rule_counts.not_simulated;

  html << "<header class=\"top\"><div class=\"inner\"><h1>pullsim conformance report</h1>"
          "<p class=\"meta\">How Kubernetes handles container images, checked rule by rule: "
          "each scenario sets up registries, nodes and pods, runs them on a simulated clock and "
          "compares what happened with the rules of the Kubernetes &ldquo;Images&rdquo; page.</p>"
          "</div></header>\n<main>\n"
          "<noscript><p class=\"note\">Filters and the per-scenario details (world, timelines, "
          "events, credentials, requests) need JavaScript. The summary, the rule table and every "
          "failure below are complete without it.</p></noscript>\n";

  html << "<section id=\"summary\" class=\"summary\">\n";
  // Scenarios.
  html << "<div class=\"card\"><h2>Scenarios</h2><div class=\"big\">"
       << std::to_string(counts.total())
       << " <small>run</small></div><div class=\"bar\" title=\"scenarios by status\">";
  struct Segment {
    std::string_view status;
    std::string_view label;
    std::size_t count;
  };
  const Segment segments[] = {{"PASS", "passed", counts.pass},
                              {"FAIL", "failed", counts.fail},
                              {"INVALID", "invalid", counts.invalid},
                              {"XPASS", "passed unexpectedly", counts.xpass},
                              {"XFAIL", "failed as expected", counts.xfail}};
  for (const Segment& segment : segments) {
    if (segment.count == 0) continue;
    html << "<span class=\"st-" << segment.status
         << "\" style=\"width:" << Percent(segment.count, counts.total()) << "%\"></span>";
  }
  html << "</div><ul class=\"counts\" id=\"scenario-counts\">";
  for (const Segment& segment : segments) {
    html << "<li class=\"st-" << segment.status << "\">" << segment.label << " <b>"
         << std::to_string(segment.count) << "</b></li>";
  }
  html << "</ul></div>\n";

  // Rules.
  std::size_t by_status[5] = {};
  for (const RuleResult& rule : rules) {
    if (rule.in_catalogue) ++by_status[static_cast<std::size_t>(rule.status)];
  }
  html << "<div class=\"card\"><h2>Rules</h2><div class=\"big\">"
       << std::to_string(rule_counts.covered) << " <small>of " << std::to_string(catalogue_size)
       << " covered</small></div>"
       << "<div class=\"bar\" title=\"rules by status\">";
  const std::pair<std::string_view, std::size_t> rule_segments[] = {
      {"PASS", by_status[static_cast<std::size_t>(RuleStatus::kPass)]},
      {"FAIL", by_status[static_cast<std::size_t>(RuleStatus::kFail)]},
      {"XPASS", by_status[static_cast<std::size_t>(RuleStatus::kXpass)]},
      {"XFAIL", by_status[static_cast<std::size_t>(RuleStatus::kXfail)]},
      {"UNTESTED", rule_counts.uncovered},
      {"NOTSIM", rule_counts.not_simulated}};
  for (const auto& [status, count] : rule_segments) {
    if (count == 0) continue;
    html << "<span class=\"rs-" << status << "\" style=\"width:" << Percent(count, catalogue_size)
         << "%\"></span>";
  }
  html << "</div><ul class=\"counts\" id=\"rule-counts\">"
       << "<li class=\"rs-PASS\">covered <b>" << std::to_string(rule_counts.covered) << "</b></li>"
       << "<li class=\"rs-UNTESTED\">uncovered <b>" << std::to_string(rule_counts.uncovered)
       << "</b></li><li class=\"rs-NOTSIM\">not simulated <b>"
       << std::to_string(rule_counts.not_simulated) << "</b></li>"
       << "<li class=\"rs-FAIL\">failing <b>"
       << std::to_string(by_status[static_cast<std::size_t>(RuleStatus::kFail)] +
                         by_status[static_cast<std::size_t>(RuleStatus::kXpass)])
       << "</b></li></ul></div>\n";

  // Run.
  html << "<div class=\"card\"><h2>Run</h2><dl class=\"kv\">"
       << "<dt>pullsim</dt><dd id=\"run-version\">";
  html.Text(results.pullsim_version.empty() ? "unknown" : results.pullsim_version);
  html << "</dd><dt>seed</dt><dd id=\"run-seed\">" << std::to_string(results.seed)
       << "</dd><dt>started</dt><dd>" << FormatTimestamp(results.started)
       << "</dd><dt>run time</dt><dd id=\"run-time\">" << FormatWall(results.duration)
       << "</dd><dt>tests read</dt><dd>" << std::to_string(results.tests.size())
       << " naming rules</dd></dl></div>\n</section>\n";

  std::size_t bad = counts.fail + counts.xpass + counts.invalid;
  // A rule can fail through a test alone, so failed tests darken the verdict too.
  const auto failed_tests = static_cast<std::size_t>(std::count_if(
      results.tests.begin(), results.tests.end(),
      [](const scenario::TestResult& test) { return test.status == scenario::TestStatus::kFail; }));
  if (bad == 0 && failed_tests == 0 && rule_counts.uncovered == 0) {
    html << "<p class=\"verdict st-PASS\" id=\"verdict\">All " << std::to_string(counts.total())
         << " scenarios behaved as expected and every simulated rule is covered.</p>\n";
  } else {
    html << "<p class=\"verdict st-FAIL\" id=\"verdict\">";
    std::vector<std::string> parts;
    if (counts.fail > 0) parts.push_back(std::to_string(counts.fail) + " failed");
    if (counts.invalid > 0) parts.push_back(std::to_string(counts.invalid) + " invalid");
    if (counts.xpass > 0) parts.push_back(std::to_string(counts.xpass) + " passed unexpectedly");
    if (failed_tests > 0) {
      parts.push_back(std::to_string(failed_tests) + " test" + (failed_tests == 1 ? "" : "s") +
                      " failed");
    }
    if (rule_counts.uncovered > 0) {
      parts.push_back(std::to_string(rule_counts.uncovered) + " rule" +
                      (rule_counts.uncovered == 1 ? "" : "s") + " uncovered");
    }
    for (std::size_t i = 0; i < parts.size(); ++i) html << (i == 0 ? "" : ", ") << parts[i];
    html << ". Tick &ldquo;failed only&rdquo; below to see just those.</p>\n";
  }
}

void WriteFilters(Html& html, const RunResults& results, const std::vector<RuleResult>& rules) {
  std::vector<std::string> areas;
  std::set<std::string> seen_areas;
  for (const ScenarioResult& scenario : results.scenarios) {
    if (seen_areas.insert(scenario.area).second) areas.push_back(scenario.area);
  }
  std::sort(areas.begin(), areas.end());
  html << "<nav class=\"filters\" id=\"filters\" aria-label=\"filters\">"
          "<label><input type=\"checkbox\" id=\"f-failed\"> failed only</label>"
          "<label>rule <select id=\"f-rule\"><option value=\"\">all rules</option>";
  for (const RuleResult& rule : rules) {
    if (rule.scenarios.empty()) continue;
    html << "<option value=\"";
    html.Text(rule.id);
    html << "\">";
    html.Text(rule.id);
    html << " (" << std::to_string(rule.scenarios.size()) << ")</option>";
  }
  html << "</select></label><label>use case <select id=\"f-area\"><option value=\"\">all use "
          "cases</option>";
  for (const std::string& area : areas) {
    html << "<option value=\"";
    html.Text(area);
    html << "\">";
    html.Text(area.empty() ? "(no folder)" : area);
    html << "</option>";
  }
  html << "</select></label><label>name <input type=\"search\" id=\"f-name\" "
          "placeholder=\"part of a name\"></label>"
          "<button type=\"button\" id=\"f-reset\">reset</button>"
          "<button type=\"button\" id=\"f-open\" title=\"open the details of the scenarios "
          "shown (at most 50)\">open shown</button>"
          "<span id=\"f-count\" aria-live=\"polite\"></span></nav>\n"
          "<style id=\"filter-style\"></style>\n";
}

void WriteRuleTable(Html& html, const RunResults& results, const RuleCatalogue& catalogue,
                    const std::vector<RuleResult>& rules) {
  html << "<section id=\"rules\"><h2>Rules</h2>"
          "<p class=\"muted\">Each rule of the catalogue (conformance/rules.yaml), where the "
          "Kubernetes documentation states it, and its status: the worst of the scenarios and "
          "tests that check it (FAIL, XPASS, PASS, XFAIL; UNTESTED when nothing does).</p>\n"
          "<table id=\"rule-table\" class=\"rules\"><thead><tr><th>Rule</th><th>What it says</th>"
          "<th>Docs section</th><th>Status</th><th>Checked by</th></tr></thead><tbody>\n";
  for (const RuleResult& rule : rules) {
    const Rule* entry = catalogue.Find(rule.id);
    html << "<tr class=\"rule rs-" << RuleClass(rule) << (IsBadRule(rule) ? " bad" : "")
         << "\" id=\"r-";
    html.Text(rule.id);
    html << "\" data-rule=\"";
    html.Text(rule.id);
    html << "\"><td class=\"id\"><a href=\"#r-";
    html.Text(rule.id);
    html << "\">";
    html.Text(rule.id);
    html << "</a></td><td>";
    if (entry != nullptr) {
      html.Text(entry->rule);
      if (!rule.not_simulated.empty()) {
        html << "<div class=\"why\">Not simulated: ";
        html.Text(rule.not_simulated);
        html << "</div>";
      }
    } else {
      html << "<div class=\"why\">Not in the rule catalogue: a scenario or test names an "
              "unknown id.</div>";
    }
    html << "</td><td class=\"docs\">";
    if (entry != nullptr) html.Text(entry->docs);
    html << "</td><td class=\"status\"><span class=\"badge rs-" << RuleClass(rule) << "\">"
         << RuleLabel(rule) << "</span></td><td>";
    if (!rule.scenarios.empty()) {
      html << "<ul class=\"links\">";
      for (std::size_t k = 0; k < rule.scenarios.size() && k < kLinksPerRule; ++k) {
        const ScenarioResult& scenario = results.scenarios[rule.scenarios[k]];
        html << "<li class=\"st-" << scenario::StatusName(scenario.status) << "\"><a href=\"#s-"
             << std::to_string(rule.scenarios[k]) << "\" title=\"";
        html.Text(std::string(scenario::StatusName(scenario.status)) + " " + scenario.file);
        html << "\">";
        html.Text(scenario.name.empty() ? scenario.file : scenario.name);
        html << "</a></li>";
      }
      html << "</ul>";
      if (rule.scenarios.size() > kLinksPerRule) {
        html << "<button type=\"button\" class=\"linkish show-rule\" data-rule=\"";
        html.Text(rule.id);
        html << "\">show all " << std::to_string(rule.scenarios.size()) << " scenarios</button>";
      }
    }
    if (!rule.tests.empty()) {
      std::size_t failed = 0;
      for (std::size_t index : rule.tests) {
        if (results.tests[index].status == scenario::TestStatus::kFail) ++failed;
      }
      html << "<details class=\"tests-of-rule\"><summary>" << std::to_string(rule.tests.size())
           << " test" << (rule.tests.size() == 1 ? "" : "s");
      if (failed > 0) html << ", <b>" << std::to_string(failed) << " failed</b>";
      html << "</summary><ul>";
      for (std::size_t k = 0; k < rule.tests.size() && k < kTestsPerRule; ++k) {
        const scenario::TestResult& test = results.tests[rule.tests[k]];
        html << "<li class=\"ts-" << scenario::StatusName(test.status) << "\"><code>";
        html.Text(test.name);
        html << "</code> <span class=\"muted\">";
        html.Text(test.file);
        if (test.line > 0) html << ":" << std::to_string(test.line);
        html << " " << scenario::StatusName(test.status) << "</span>";
        if (!test.failure.empty()) {
          html << "<pre>";
          html.Text(test.failure);
          html << "</pre>";
        }
        html << "</li>";
      }
      if (rule.tests.size() > kTestsPerRule) {
        html << "<li>and " << std::to_string(rule.tests.size() - kTestsPerRule) << " more</li>";
      }
      html << "</ul></details>";
    }
    if (rule.scenarios.empty() && rule.tests.empty())
      html << "<span class=\"muted\">nothing</span>";
    html << "</td></tr>\n";
  }
  html << "</tbody></table></section>\n";
}

void WriteDiffSide(Html& html, const std::vector<internal::DiffLine>& lines) {
  html << "<pre>";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) html << "\n";
    if (lines[i].changed)
      html << (lines[i].removed ? "<span class=\"del\">" : "<span class=\"ins\">");
    html.Text(lines[i].text);
    if (lines[i].changed) html << "</span>";
  }
  html << "</pre>";
}

void WriteScenario(Html& html, const ScenarioResult& scenario, std::size_t index) {
  std::string_view status = scenario::StatusName(scenario.status);
  html << "<article class=\"sc st-" << status << (IsBad(scenario.status) ? " bad" : "")
       << "\" id=\"s-" << std::to_string(index) << "\" data-rules=\"";
  for (std::size_t i = 0; i < scenario.rules.size(); ++i) {
    if (i > 0) html << " ";
    html.Text(scenario.rules[i]);
  }
  html << "\" data-area=\"";
  html.Text(scenario.area);
  html << "\" data-name=\"";
  html.Text(scenario.name);
  html << "\"><header><span class=\"badge st-" << status << "\">" << status << "</span> <h3>";
  html.Text(scenario.name.empty() ? scenario.file : scenario.name);
  html << "</h3>";
  if (!scenario.area.empty()) {
    html << "<span class=\"area\">";
    html.Text(scenario.area);
    html << "</span>";
  }
  html << "<code class=\"file\">";
  html.Text(scenario.file);
  html << "</code><span class=\"rules\">";
  for (const std::string& rule : scenario.rules) {
    html << " <a class=\"chip\" href=\"#r-";
    html.Text(rule);
    html << "\">";
    html.Text(rule);
    html << "</a>";
  }
  html << "</span>";
  if (scenario.status != ScenarioStatus::kInvalid) {
    html << "<span class=\"vt\" title=\"simulated time\">" << FormatDuration(scenario.virtual_time)
         << " simulated</span>";
  }
  html << "</header>\n";
  if (!scenario.description.empty()) {
    html << "<p class=\"desc\">";
    html.Text(scenario.description);
    html << "</p>";
  }
  if (!scenario.xfail.empty()) {
    html << "<p class=\"xfail-note\">Expected to fail: ";
    html.Text(scenario.xfail);
    html << "</p>";
  }
  if (scenario.status == ScenarioStatus::kXpass) {
    html << "<div class=\"error-box\">Passed, but is marked as expected to fail: remove its "
            "<code>xfail</code> once the cause is fixed.</div>";
  }
  if (!scenario.failures.empty()) {
    html << "<div class=\"failures\">";
    for (const scenario::FailedExpectation& failure : scenario.failures) {
      html << "<div class=\"failure\"><div class=\"where\"><code>";
      std::string where = failure.location.file;
      if (failure.location.line > 0) where += ":" + std::to_string(failure.location.line);
      html.Text(where);
      html << "</code> ";
      html.Text(failure.subject);
      if (!failure.check.empty()) {
        html << (failure.subject.empty() ? "" : " &middot; ") << "<b>";
        html.Text(failure.check);
        html << "</b>";
      }
      internal::LineDiff diff = internal::DiffLines(failure.expected, failure.actual);
      html << "</div><div class=\"diff\"><div class=\"exp\"><h5>expected</h5>";
      WriteDiffSide(html, diff.expected);
      html << "</div><div class=\"act\"><h5>actual</h5>";
      WriteDiffSide(html, diff.actual);
      html << "</div></div></div>";
    }
    html << "</div>";
  }
  if (!scenario.error.empty()) {
    html << "<div class=\"error-box\"><pre>";
    html.Text(scenario.error);
    html << "</pre></div>";
  }
  if (!scenario.diagnostics.empty()) {
    html << "<ul class=\"diagnostics\">";
    for (const scenario::Diagnostic& diagnostic : scenario.diagnostics) {
      html << "<li><code>";
      html.Text(diagnostic.location.ToString());
      html << "</code> ";
      if (!diagnostic.field.empty()) {
        html << "<code>";
        html.Text(diagnostic.field);
        html << "</code>: ";
      }
      html.Text(diagnostic.message);
      html << "</li>";
    }
    if (scenario.diagnostics_omitted > 0) {
      html << "<li>and " << std::to_string(scenario.diagnostics_omitted) << " more</li>";
    }
    html << "</ul>";
  }
  if (scenario.status != ScenarioStatus::kInvalid) {
    html << "<details class=\"more\" data-i=\"" << std::to_string(index)
         << "\"><summary>World, pod timelines, events, credentials and registry requests ("
         << std::to_string(scenario.pods.size()) << " pod" << (scenario.pods.size() == 1 ? "" : "s")
         << ", " << std::to_string(scenario.requests.size()) << " request"
         << (scenario.requests.size() == 1 ? "" : "s")
         << ")</summary><div class=\"body\"></div></details>";
  }
  html << "</article>\n";
}

}  // namespace

void WriteHtmlReport(const RunResults& results, const RuleCatalogue& catalogue, std::ostream& out) {
  std::string buffer;
  buffer.reserve(1u << 21);
  auto flush = [&](bool force) {
    if (force || buffer.size() > (1u << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  };
  Html html(buffer);
  std::vector<RuleResult> rules = scenario::SummarizeRules(results, catalogue);

  WriteHead(html);
  html << "<body>\n";
  WriteSummary(html, results, rules);
  WriteFilters(html, results, rules);
  WriteRuleTable(html, results, catalogue, rules);
  flush(false);

  html << "<section id=\"scenarios\"><h2>Scenarios</h2><p class=\"muted\">Failures show what "
          "the scenario expected beside what happened, at the line that says so. Open a "
          "scenario's details for its world, a timeline of each pod, the events, the "
          "credentials tried and the registry's request log.</p>\n"
          "<p id=\"no-match\" class=\"muted\" hidden>No scenario matches the filters.</p>\n"
          "<div id=\"list\">\n";
  for (std::size_t i = 0; i < results.scenarios.size(); ++i) {
    WriteScenario(html, results.scenarios[i], i);
    flush(false);
  }
  html << "</div></section>\n</main>\n";

  // The details each scenario draws when opened: its JSON deflated and base64-encoded, one
  // string per scenario, so 10,000 scenarios stay a file of tens of megabytes and the page
  // inflates only what a person opens. Base64 cannot end the <script> element early.
  html << "<script type=\"application/json\" id=\"pullsim-data\">[";
  std::string details;
  for (std::size_t i = 0; i < results.scenarios.size(); ++i) {
    details.clear();
    internal::JsonWriter json(details, /*html_safe=*/true, /*indent=*/0);
    internal::WriteScenarioDetails(json, results.scenarios[i]);
    html << (i == 0 ? "\"" : ",\n\"") << internal::DeflateBase64(details) << "\"";
    flush(false);
  }
  html << "]";
  html << "</script>\n<script>\n" << internal::kReportJs << "</script>\n</body>\n</html>\n";
  flush(true);
}

}  // namespace pullsim::report
