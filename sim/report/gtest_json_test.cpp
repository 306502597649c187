#include "sim/report/gtest_json.h"

#include <gtest/gtest.h>

namespace pullsim::report {
namespace {

// The shape GoogleTest 1.12 writes with --gtest_output=json (trimmed): "rules" is the property
// CoversRule() records.
constexpr std::string_view kReport = R"({
  "tests": 5, "failures": 1, "disabled": 1, "errors": 0, "name": "AllTests",
  "testsuites": [
    {"name": "PullPolicy", "tests": 3, "failures": 1, "disabled": 0, "errors": 0,
     "testsuite": [
       {"name": "KUB_02_AlwaysResolves", "file": "conformance/pull_policy_test.cpp", "line": 12,
        "status": "RUN", "result": "COMPLETED", "timestamp": "2026-01-01T00:00:00Z", "time": "0s",
        "classname": "PullPolicy", "rules": "KUB-02"},
       {"name": "KUB_03_Events", "file": "conformance/pull_policy_test.cpp", "line": 30,
        "status": "RUN", "result": "COMPLETED", "time": "0s", "classname": "PullPolicy",
        "rules": "KUB-03, KUB-04",
        "failures": [{"failure": "conformance/pull_policy_test.cpp:35\nExpected: 1", "type": ""},
                     {"failure": "conformance/pull_policy_test.cpp:36\nExpected: 2", "type": ""}]},
       {"name": "NoRule", "file": "x.cpp", "line": 1, "status": "RUN", "result": "COMPLETED"}
     ]},
    {"name": "Platform/Param", "tests": 2,
     "testsuite": [
       {"name": "ARCH_04/0", "value_param": "1", "file": "p.cpp", "line": 9, "status": "RUN",
        "result": "SKIPPED", "rules": "ARCH-04"},
       {"name": "DISABLED_ARCH_05", "file": "p.cpp", "line": 19, "status": "NOTRUN",
        "result": "SUPPRESSED", "rules": "ARCH-05"}
     ]}
  ]
})";

TEST(GtestJson, ReadsTestsThatNameRules) {
  Result<std::vector<scenario::TestResult>> tests = ParseGtestJson(kReport, "out.json");
  ASSERT_TRUE(tests.has_value()) << tests.error().ToString();
  ASSERT_EQ(tests->size(), 4u);  // NoRule names none
  const scenario::TestResult& first = (*tests)[0];
  EXPECT_EQ(first.name, "PullPolicy.KUB_02_AlwaysResolves");
  EXPECT_EQ(first.file, "conformance/pull_policy_test.cpp");
  EXPECT_EQ(first.line, 12);
  EXPECT_EQ(first.rules, (std::vector<std::string>{"KUB-02"}));
  EXPECT_EQ(first.status, scenario::TestStatus::kPass);
  EXPECT_TRUE(first.failure.empty());

  const scenario::TestResult& failed = (*tests)[1];
  EXPECT_EQ(failed.rules, (std::vector<std::string>{"KUB-03", "KUB-04"}));
  EXPECT_EQ(failed.status, scenario::TestStatus::kFail);
  EXPECT_EQ(failed.failure,
            "conformance/pull_policy_test.cpp:35\nExpected: 1\n"
            "conformance/pull_policy_test.cpp:36\nExpected: 2");

  EXPECT_EQ((*tests)[2].name, "Platform/Param.ARCH_04/0");
  EXPECT_EQ((*tests)[2].status, scenario::TestStatus::kSkipped);
  EXPECT_EQ((*tests)[3].status, scenario::TestStatus::kSkipped);
}

TEST(GtestJson, RejectsWhatIsNotAGtestReport) {
  struct Case {
    std::string_view text;
    std::string_view where;
  };
  constexpr Case kCases[] = {
      {"not json", "out.json"},
      {"{}", "out.json: $"},
      {R"({"testsuites": [1]})", "out.json: $.testsuites[0]"},
      {R"({"testsuites": [{"testsuite": ["x"]}]})", "out.json: $.testsuites[0].testsuite[0]"},
      {R"({"testsuites": [{"testsuite": [{"name": "a", "rules": 3}]}]})",
       "out.json: $.testsuites[0].testsuite[0].rules"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.text));
    auto tests = ParseGtestJson(c.text, "out.json");
    ASSERT_FALSE(tests.has_value());
    EXPECT_EQ(tests.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(tests.error().where, c.where);
  }
  EXPECT_EQ(ReadGtestJson("/nonexistent.json").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pullsim::report
