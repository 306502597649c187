#include "sim/report/gtest_json.h"

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace pullsim::report {
namespace {

using Json = nlohmann::json;
using scenario::TestResult;
using scenario::TestStatus;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string> SplitRules(std::string_view joined) {
  std::vector<std::string> rules;
  while (!joined.empty()) {
    std::size_t comma = joined.find(',');
    std::string_view id = Trim(joined.substr(0, comma));
    if (!id.empty()) rules.emplace_back(id);
    if (comma == std::string_view::npos) break;
    joined.remove_prefix(comma + 1);
  }
  return rules;
}

std::string StringOr(const Json& object, const char* key, std::string fallback = {}) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

}  // namespace

Result<std::vector<TestResult>> ParseGtestJson(std::string_view text, std::string_view file_name) {
  Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::string where(file_name);
  if (document.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument,
                "not valid JSON (expected a GoogleTest --gtest_output=json report)", where);
  }
  auto suites = document.is_object() ? document.find("testsuites") : document.end();
  if (!document.is_object() || suites == document.end() || !suites->is_array()) {
    return Fail(ErrorCode::kInvalidArgument,
                "expected a GoogleTest --gtest_output=json report with a \"testsuites\" array",
                where + ": $");
  }
  std::vector<TestResult> tests;
  for (std::size_t s = 0; s < suites->size(); ++s) {
    const Json& suite = (*suites)[s];
    std::string suite_path = "$.testsuites[" + std::to_string(s) + "]";
    auto cases = suite.is_object() ? suite.find("testsuite") : suite.end();
    if (!suite.is_object() || cases == suite.end() || !cases->is_array()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "expected an object with a \"testsuite\" array of tests",
                  where + ": " + suite_path);
    }
    std::string suite_name = StringOr(suite, "name");
    for (std::size_t t = 0; t < cases->size(); ++t) {
      const Json& test = (*cases)[t];
      std::string test_path = suite_path + ".testsuite[" + std::to_string(t) + "]";
      if (!test.is_object()) {
        return Fail(ErrorCode::kInvalidArgument, "expected a test object",
                    where + ": " + test_path);
      }
      auto rules = test.find("rules");
      if (rules == test.end()) continue;  // a test that names no rule is no rule's evidence
      if (!rules->is_string()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "expected the \"rules\" property to be a string such as \"KUB-02,CRED-13\"",
                    where + ": " + test_path + ".rules");
      }
      TestResult result;
      result.name = suite_name + "." + StringOr(test, "name");
      result.file = StringOr(test, "file");
      if (auto line = test.find("line"); line != test.end() && line->is_number_integer()) {
        result.line = line->get<int>();
      }
      result.rules = SplitRules(rules->get<std::string>());
      std::string status = StringOr(test, "status", "RUN");
      std::string outcome = StringOr(test, "result", "COMPLETED");
      if (auto failures = test.find("failures"); failures != test.end() && failures->is_array()) {
        for (const Json& failure : *failures) {
          if (!failure.is_object()) continue;
          if (!result.failure.empty()) result.failure += "\n";
          result.failure += StringOr(failure, "failure");
        }
        if (!failures->empty()) result.status = TestStatus::kFail;
      }
      if (result.status != TestStatus::kFail && (status != "RUN" || outcome != "COMPLETED")) {
        result.status = TestStatus::kSkipped;  // SKIPPED, SUPPRESSED (disabled), NOTRUN
      }
      tests.push_back(std::move(result));
    }
  }
  return tests;
}

Result<std::vector<TestResult>> ReadGtestJson(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot open GoogleTest JSON report", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return ParseGtestJson(text.str(), path.string());
}

}  // namespace pullsim::report
