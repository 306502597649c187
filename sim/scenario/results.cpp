#include "sim/scenario/results.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace pullsim::scenario {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> ParseName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// Indexed by the enumerators' values, which the enums declare in this order.
constexpr std::array<std::string_view, 5> kScenarioStatusNames = {"PASS", "FAIL", "XFAIL", "XPASS",
                                                                  "INVALID"};
constexpr std::array<std::string_view, 5> kRuleStatusNames = {"UNTESTED", "XFAIL", "PASS", "XPASS",
                                                              "FAIL"};
constexpr std::array<std::string_view, 3> kTestStatusNames = {"PASS", "FAIL", "SKIPPED"};
constexpr std::array<std::string_view, 5> kPhaseNames = {"queued", "pulling", "backoff", "running",
                                                         "failed"};

}  // namespace

std::string_view StatusName(ScenarioStatus status) {
  return kScenarioStatusNames[static_cast<std::size_t>(status)];
}
std::string_view StatusName(RuleStatus status) {
  return kRuleStatusNames[static_cast<std::size_t>(status)];
}
std::string_view StatusName(TestStatus status) {
  return kTestStatusNames[static_cast<std::size_t>(status)];
}
std::optional<ScenarioStatus> ParseScenarioStatus(std::string_view text) {
  return ParseName<ScenarioStatus>(kScenarioStatusNames, text);
}
std::optional<RuleStatus> ParseRuleStatus(std::string_view text) {
  return ParseName<RuleStatus>(kRuleStatusNames, text);
}
std::optional<TestStatus> ParseTestStatus(std::string_view text) {
  return ParseName<TestStatus>(kTestStatusNames, text);
}
std::string_view PhaseName(PhaseKind kind) { return kPhaseNames[static_cast<std::size_t>(kind)]; }
std::optional<PhaseKind> ParsePhaseKind(std::string_view text) {
  return ParseName<PhaseKind>(kPhaseNames, text);
}

RuleStatus ToRuleStatus(ScenarioStatus status) {
  switch (status) {
    case ScenarioStatus::kPass:
      return RuleStatus::kPass;
    case ScenarioStatus::kXfail:
      return RuleStatus::kXfail;
    case ScenarioStatus::kXpass:
      return RuleStatus::kXpass;
    case ScenarioStatus::kFail:
    case ScenarioStatus::kInvalid:  // a scenario that cannot load checks nothing it promised
      return RuleStatus::kFail;
  }
  return RuleStatus::kFail;
}

std::optional<RuleStatus> ToRuleStatus(TestStatus status) {
  switch (status) {
    case TestStatus::kPass:
      return RuleStatus::kPass;
    case TestStatus::kFail:
      return RuleStatus::kFail;
    case TestStatus::kSkipped:
      return std::nullopt;
  }
  return std::nullopt;
}

void StatusCounts::Add(ScenarioStatus status) {
  switch (status) {
    case ScenarioStatus::kPass:
      ++pass;
      break;
    case ScenarioStatus::kFail:
      ++fail;
      break;
    case ScenarioStatus::kXfail:
      ++xfail;
      break;
    case ScenarioStatus::kXpass:
      ++xpass;
      break;
    case ScenarioStatus::kInvalid:
      ++invalid;
      break;
  }
}

StatusCounts CountStatuses(const std::vector<ScenarioResult>& scenarios) {
  StatusCounts counts;
  for (const ScenarioResult& scenario : scenarios) counts.Add(scenario.status);
  return counts;
}

std::vector<RuleResult> SummarizeRules(const RunResults& results, const RuleCatalogue& catalogue) {
  std::vector<RuleResult> rules;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const Rule& rule : catalogue.rules()) {
    index.emplace(rule.id, rules.size());
    RuleResult result;
    result.id = rule.id;
    result.not_simulated = rule.not_simulated;
    rules.push_back(std::move(result));
  }
  auto find = [&](const std::string& id) -> RuleResult& {
    auto it = index.find(id);
    if (it == index.end()) {
      it = index.emplace(id, rules.size()).first;
      RuleResult result;
      result.id = id;
      result.in_catalogue = false;
      rules.push_back(std::move(result));
    }
    return rules[it->second];
  };
  auto merge = [](RuleResult& rule, RuleStatus status) {
    rule.status = std::max(rule.status, status);
  };
  for (std::size_t i = 0; i < results.scenarios.size(); ++i) {
    const ScenarioResult& scenario = results.scenarios[i];
    for (const std::string& id : scenario.rules) {
      RuleResult& rule = find(id);
      // A scenario naming a rule twice still counts once.
      if (!rule.scenarios.empty() && rule.scenarios.back() == i) continue;
      rule.scenarios.push_back(i);
      merge(rule, ToRuleStatus(scenario.status));
    }
  }
  for (std::size_t i = 0; i < results.tests.size(); ++i) {
    const TestResult& test = results.tests[i];
    std::optional<RuleStatus> status = ToRuleStatus(test.status);
    for (const std::string& id : test.rules) {
      RuleResult& rule = find(id);
      if (!rule.tests.empty() && rule.tests.back() == i) continue;
      rule.tests.push_back(i);
      if (status) merge(rule, *status);
    }
  }
  return rules;
}

RuleCounts CountRules(const std::vector<RuleResult>& rules) {
  RuleCounts counts;
  for (const RuleResult& rule : rules) {
    if (!rule.in_catalogue) continue;
    if (rule.status != RuleStatus::kUntested) {
      ++counts.covered;
    } else if (!rule.not_simulated.empty()) {
      ++counts.not_simulated;
    } else {
      ++counts.uncovered;
    }
  }
  return counts;
}

std::string AreaOf(std::string_view file) {
  std::size_t slash = file.find_last_of('/');
  if (slash == std::string_view::npos) return "";
  std::string_view folder = file.substr(0, slash);
  std::size_t before = folder.find_last_of('/');
  return std::string(before == std::string_view::npos ? folder : folder.substr(before + 1));
}

}  // namespace pullsim::scenario
