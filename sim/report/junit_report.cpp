#include "sim/report/junit_report.h"

#include <map>
#include <string>
#include <vector>

#include "sim/report/internal/text.h"

namespace pullsim::report {
namespace {

using scenario::ScenarioResult;
using scenario::ScenarioStatus;

using internal::AppendXml;

void Attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  AppendXml(out, value, /*attribute=*/true);
  out += '"';
}

// "file:line: subject: check\n  expected: ...\n  actual: ..." for one failed expectation.
std::string DescribeFailure(const scenario::FailedExpectation& failure) {
  std::string where = failure.location.file;
  if (failure.location.line > 0) where += ":" + std::to_string(failure.location.line);
  std::string text = where + ":";
  if (!failure.subject.empty()) text += " " + failure.subject;
  if (!failure.check.empty()) text += (failure.subject.empty() ? " " : ": ") + failure.check;
  auto indent = [](const std::string& value) {
    std::string out;
    for (char c : value) {
      out += c;
      if (c == '\n') out += "    ";
    }
    return out;
  };
  text += "\n  expected: " + indent(failure.expected);
  text += "\n  actual:   " + indent(failure.actual);
  return text;
}

std::string FailureText(const ScenarioResult& scenario) {
  std::string text;
  if (scenario.status == ScenarioStatus::kXpass) {
    text = scenario.file + ": passed, but is marked xfail: " + scenario.xfail;
  }
  for (const scenario::FailedExpectation& failure : scenario.failures) {
    if (!text.empty()) text += "\n\n";
    text += DescribeFailure(failure);
  }
  if (!scenario.error.empty()) {
    if (!text.empty()) text += "\n\n";
    text += scenario.file + ": " + scenario.error;
  }
  if (text.empty()) text = scenario.file + ": failed";
  return text;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

struct Suite {
  std::vector<const ScenarioResult*> scenarios;
  scenario::StatusCounts counts;
  Duration time{0};
};

void WriteTestcase(std::string& out, const ScenarioResult& scenario) {
  out += "    <testcase";
  Attribute(out, "name", scenario.name.empty() ? scenario.file : scenario.name);
  Attribute(out, "classname", scenario.file);
  Attribute(out, "file", scenario.file);
  Attribute(out, "time", internal::FormatSeconds(scenario.wall_time));
  out += ">\n";
  if (!scenario.rules.empty()) {
    out += "      <properties>\n";
    for (const std::string& rule : scenario.rules) {
      out += "        <property";
      Attribute(out, "name", "rule");
      Attribute(out, "value", rule);
      out += "/>\n";
    }
    out += "      </properties>\n";
  }
  switch (scenario.status) {
    case ScenarioStatus::kPass:
      break;
    case ScenarioStatus::kXfail:
      out += "      <skipped";
      Attribute(out, "message", "expected to fail (xfail): " + scenario.xfail);
      out += "/>\n";
      break;
    case ScenarioStatus::kFail:
    case ScenarioStatus::kXpass: {
      std::string text = FailureText(scenario);
      out += "      <failure";
      Attribute(out, "message", FirstLine(text));
      Attribute(out, "type", scenario::StatusName(scenario.status));
      out += ">";
      AppendXml(out, text, /*attribute=*/false);
      out += "</failure>\n";
      break;
    }
    case ScenarioStatus::kInvalid: {
      std::string text;
      for (const scenario::Diagnostic& diagnostic : scenario.diagnostics) {
        if (!text.empty()) text += "\n";
        text += diagnostic.ToString();
      }
      if (scenario.diagnostics_omitted > 0) {
        text += "\n(and " + std::to_string(scenario.diagnostics_omitted) + " more)";
      }
      if (!scenario.error.empty()) text += (text.empty() ? "" : "\n") + scenario.error;
      if (text.empty()) text = scenario.file + ": invalid scenario";
      out += "      <error";
      Attribute(out, "message", FirstLine(text));
      Attribute(out, "type", scenario::StatusName(scenario.status));
      out += ">";
      AppendXml(out, text, /*attribute=*/false);
      out += "</error>\n";
      break;
    }
  }
  if (!scenario.description.empty()) {
    out += "      <system-out>";
    AppendXml(out, scenario.description, /*attribute=*/false);
    out += "</system-out>\n";
  }
  out += "    </testcase>\n";
}

}  // namespace

void WriteJunitReport(const scenario::RunResults& results, std::ostream& out) {
  // One suite per use-case folder, in the order folders first appear.
  std::vector<std::string> order;
  std::map<std::string, Suite> suites;
  for (const ScenarioResult& scenario : results.scenarios) {
    std::string name = scenario.area.empty() ? "scenarios" : scenario.area;
    auto [it, inserted] = suites.try_emplace(name);
    if (inserted) order.push_back(name);
    it->second.scenarios.push_back(&scenario);
    it->second.counts.Add(scenario.status);
    it->second.time += scenario.wall_time;
  }
  scenario::StatusCounts total = scenario::CountStatuses(results.scenarios);
  std::string text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  Attribute(text, "name", "pullsim");
  Attribute(text, "tests", std::to_string(total.total()));
  Attribute(text, "failures", std::to_string(total.fail + total.xpass));
  Attribute(text, "errors", std::to_string(total.invalid));
  Attribute(text, "skipped", std::to_string(total.xfail));
  Attribute(text, "time", internal::FormatSeconds(results.duration));
  Attribute(text, "timestamp", FormatTimestamp(results.started));
  text += ">\n";
  for (const std::string& name : order) {
    const Suite& suite = suites[name];
    const scenario::StatusCounts& counts = suite.counts;
    text += "  <testsuite";
    Attribute(text, "name", name);
    Attribute(text, "tests", std::to_string(counts.total()));
    Attribute(text, "failures", std::to_string(counts.fail + counts.xpass));
    Attribute(text, "errors", std::to_string(counts.invalid));
    Attribute(text, "skipped", std::to_string(counts.xfail));
    Attribute(text, "time", internal::FormatSeconds(suite.time));
    Attribute(text, "timestamp", FormatTimestamp(results.started));
    text += ">\n    <properties>\n      <property";
    Attribute(text, "name", "pullsim.version");
    Attribute(text, "value", results.pullsim_version);
    text += "/>\n      <property";
    Attribute(text, "name", "seed");
    Attribute(text, "value", std::to_string(results.seed));
    text += "/>\n    </properties>\n";
    for (const ScenarioResult* scenario : suite.scenarios) {
      WriteTestcase(text, *scenario);
      if (text.size() > (1u << 20)) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        text.clear();
      }
    }
    text += "  </testsuite>\n";
  }
  text += "</testsuites>\n";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace pullsim::report
