// The result helpers the reports rely on (sim/scenario/results.h): rule status as the worst of
// scenarios and tests, counts, use-case folders, status names.
#include "sim/scenario/results.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

ScenarioResult Scenario(std::string name, ScenarioStatus status, std::vector<std::string> rules) {
  ScenarioResult s;
  s.name = std::move(name);
  s.file = "fixtures/area/" + s.name + ".yaml";
  s.status = status;
  s.rules = std::move(rules);
  return s;
}

TestResult MakeTest(std::string name, TestStatus status, std::vector<std::string> rules) {
  TestResult t;
  t.name = std::move(name);
  t.status = status;
  t.rules = std::move(rules);
  return t;
}

const RuleResult& Find(const std::vector<RuleResult>& rules, std::string_view id) {
  for (const RuleResult& rule : rules) {
    if (rule.id == id) return rule;
  }
  ADD_FAILURE() << "no rule " << id;
  static const RuleResult kNone;
  return kNone;
}

TEST(SummarizeRules, StatusIsTheWorstOfScenariosAndTests) {
  RunResults results;
  results.scenarios = {Scenario("a", ScenarioStatus::kPass, {"KUB-02", "KUB-03"}),
                       Scenario("b", ScenarioStatus::kXfail, {"KUB-02", "KUB-04"}),
                       Scenario("c", ScenarioStatus::kXpass, {"KUB-04"}),
                       Scenario("d", ScenarioStatus::kInvalid, {"KUB-05"}),
                       Scenario("e", ScenarioStatus::kXfail, {"KUB-06", "KUB-06"})};
  results.tests = {MakeTest("T.a", TestStatus::kFail, {"KUB-03"}),
                   MakeTest("T.b", TestStatus::kSkipped, {"KUB-07"}),
                   MakeTest("T.c", TestStatus::kPass, {"REF-01"})};
  std::vector<RuleResult> rules = SummarizeRules(results, pullsim::testing::Catalogue());
  ASSERT_EQ(rules.size(), pullsim::testing::Catalogue().rules().size());
  EXPECT_EQ(rules.front().id, pullsim::testing::Catalogue().rules().front().id);

  EXPECT_EQ(Find(rules, "KUB-02").status, RuleStatus::kPass);  // PASS beats XFAIL
  EXPECT_EQ(Find(rules, "KUB-02").scenarios, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(Find(rules, "KUB-03").status, RuleStatus::kFail);  // a failing test
  EXPECT_EQ(Find(rules, "KUB-03").tests, (std::vector<std::size_t>{0}));
  EXPECT_EQ(Find(rules, "KUB-04").status, RuleStatus::kXpass);
  EXPECT_EQ(Find(rules, "KUB-05").status, RuleStatus::kFail);  // invalid scenario
  EXPECT_EQ(Find(rules, "KUB-06").status, RuleStatus::kXfail);
  EXPECT_EQ(Find(rules, "KUB-06").scenarios.size(), 1u);           // named twice, counted once
  EXPECT_EQ(Find(rules, "KUB-07").status, RuleStatus::kUntested);  // only a skipped test
  EXPECT_EQ(Find(rules, "KUB-07").tests.size(), 1u);
  EXPECT_EQ(Find(rules, "REF-01").status, RuleStatus::kPass);
  EXPECT_EQ(Find(rules, "REF-02").status, RuleStatus::kUntested);
  EXPECT_TRUE(Find(rules, "KUB-13").in_catalogue);
  EXPECT_FALSE(Find(rules, "KUB-13").not_simulated.empty());
}

TEST(SummarizeRules, UnknownIdsComeLastAndAreNotCounted) {
  RunResults results;
  results.scenarios = {Scenario("a", ScenarioStatus::kPass, {"KUB-02", "NOPE-01"})};
  std::vector<RuleResult> rules = SummarizeRules(results, pullsim::testing::Catalogue());
  ASSERT_EQ(rules.size(), pullsim::testing::Catalogue().rules().size() + 1);
  EXPECT_EQ(rules.back().id, "NOPE-01");
  EXPECT_FALSE(rules.back().in_catalogue);
  RuleCounts counts = CountRules(rules);
  EXPECT_EQ(counts.covered, 1u);
  std::size_t not_simulated = 0;
  for (const Rule& rule : pullsim::testing::Catalogue().rules()) {
    if (!rule.not_simulated.empty()) ++not_simulated;
  }
  EXPECT_EQ(counts.not_simulated, not_simulated);
  EXPECT_EQ(counts.uncovered, pullsim::testing::Catalogue().rules().size() - 1 - not_simulated);
}

TEST(CountStatuses, CountsEachStatus) {
  std::vector<ScenarioResult> scenarios = {
      Scenario("a", ScenarioStatus::kPass, {}), Scenario("b", ScenarioStatus::kFail, {}),
      Scenario("c", ScenarioStatus::kFail, {}), Scenario("d", ScenarioStatus::kInvalid, {})};
  StatusCounts counts = CountStatuses(scenarios);
  EXPECT_EQ(counts.pass, 1u);
  EXPECT_EQ(counts.fail, 2u);
  EXPECT_EQ(counts.invalid, 1u);
  EXPECT_EQ(counts.xfail + counts.xpass, 0u);
  EXPECT_EQ(counts.total(), 4u);
}

TEST(AreaOf, IsTheFolderOfTheFile) {
  EXPECT_EQ(AreaOf("fixtures/multi-tenant/x.yaml"), "multi-tenant");
  EXPECT_EQ(AreaOf("/abs/path/private-registry/y.yaml"), "private-registry");
  EXPECT_EQ(AreaOf("top/x.yaml"), "top");
  EXPECT_EQ(AreaOf("x.yaml"), "");
}

TEST(StatusNames, RoundTrip) {
  for (ScenarioStatus s : {ScenarioStatus::kPass, ScenarioStatus::kFail, ScenarioStatus::kXfail,
                           ScenarioStatus::kXpass, ScenarioStatus::kInvalid}) {
    EXPECT_EQ(ParseScenarioStatus(StatusName(s)), s);
  }
  for (RuleStatus s : {RuleStatus::kUntested, RuleStatus::kXfail, RuleStatus::kPass,
                       RuleStatus::kXpass, RuleStatus::kFail}) {
    EXPECT_EQ(ParseRuleStatus(StatusName(s)), s);
  }
  for (PhaseKind k : {PhaseKind::kQueued, PhaseKind::kPulling, PhaseKind::kBackOff,
                      PhaseKind::kRunning, PhaseKind::kFailed}) {
    EXPECT_EQ(ParsePhaseKind(PhaseName(k)), k);
  }
  EXPECT_EQ(ParseScenarioStatus("pass"), std::nullopt);
  EXPECT_EQ(ParseTestStatus("SKIPPED"), TestStatus::kSkipped);
  EXPECT_EQ(StatusName(ScenarioStatus::kXpass), "XPASS");
  EXPECT_EQ(StatusName(RuleStatus::kUntested), "UNTESTED");
}

}  // namespace
}  // namespace pullsim::scenario
