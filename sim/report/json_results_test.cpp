#include "sim/report/json_results.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/report/sample_results.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::report {
namespace {

using namespace std::chrono_literals;

std::string Write(const scenario::RunResults& results) {
  std::ostringstream out;
  WriteJsonResults(results, pullsim::testing::Catalogue(), out);
  return out.str();
}

TEST(JsonResults, WritesTheDocumentedTopLevel) {
  std::string text = Write(testing::HandBuiltResults());
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["schema"], "pullsim.results/v1");
  EXPECT_EQ(doc["pullsimVersion"], "0.1.0-test");
  EXPECT_EQ(doc["seed"], 42);
  EXPECT_EQ(doc["started"], "2026-01-01T00:00:01.500Z");
  EXPECT_EQ(doc["durationMs"], 2345);
  EXPECT_EQ(doc["summary"]["scenarios"], 6);
  EXPECT_EQ(doc["summary"]["fail"], 2);
  EXPECT_EQ(doc["summary"]["invalid"], 1);
  const nlohmann::json& failing = doc["scenarios"][testing::kFailing];
  EXPECT_EQ(failing["status"], "FAIL");
  EXPECT_EQ(failing["failures"][0]["line"], 27);
  EXPECT_EQ(failing["failures"][0]["check"], "events");
  const nlohmann::json& passing = doc["scenarios"][testing::kPassing];
  EXPECT_EQ(passing["pods"][1]["timeline"][2]["kind"], "backoff");
  EXPECT_EQ(passing["pods"][1]["timeline"][2]["startMs"], 60300);
  EXPECT_EQ(passing["pods"][0]["containers"][0]["startedAtMs"], 1250);
  EXPECT_TRUE(passing["pods"][1]["containers"][0]["startedAtMs"].is_null());
  EXPECT_EQ(passing["pods"][0]["containers"][0]["credentials"][0]["source"], "secret:regcred");
  EXPECT_EQ(passing["world"]["nodes"][0]["kubelet"]["serializeImagePulls"], "true");
  EXPECT_EQ(doc["scenarios"][testing::kInvalid]["diagnostics"][0]["code"], "invalid_argument");
  // Rules: every catalogue rule, in catalogue order, with its derived status.
  ASSERT_GE(doc["rules"].size(), pullsim::testing::Catalogue().rules().size());
  EXPECT_EQ(doc["rules"][0]["id"], pullsim::testing::Catalogue().rules()[0].id);
  for (const nlohmann::json& rule : doc["rules"]) {
    if (rule["id"] == "ARCH-04") {
      EXPECT_EQ(rule["status"], "FAIL");  // its test failed
    }
    if (rule["id"] == "KEP2535-03") {
      EXPECT_EQ(rule["status"], "PASS");
    }
  }
}

TEST(JsonResults, RoundTripsByteForByte) {
  std::string first = Write(testing::HandBuiltResults());
  Result<scenario::RunResults> read = ParseJsonResults(first, "results.json");
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->scenarios.size(), 6u);
  EXPECT_EQ(read->scenarios[testing::kPassing].pods[1].timeline[2].kind,
            scenario::PhaseKind::kBackOff);
  EXPECT_EQ(read->scenarios[testing::kPassing].pods[0].containers[0].started_at, 1250ms);
  EXPECT_EQ(read->scenarios[testing::kInvalid].diagnostics[1].location.column, 14);
  EXPECT_EQ(read->tests[2].status, scenario::TestStatus::kFail);
  EXPECT_EQ(read->started, VirtualClock::kDefaultStart + 1500ms);
  EXPECT_EQ(Write(*read), first);
}

TEST(JsonResults, SubMillisecondTimesSurvive) {
  scenario::RunResults results;
  scenario::ScenarioResult s;
  s.file = "f.yaml";
  s.name = "f";
  s.virtual_time = 1h + 1ns;
  s.wall_time = 123456789ns;
  results.scenarios.push_back(s);
  Result<scenario::RunResults> read = ParseJsonResults(Write(results), "r.json");
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->scenarios[0].virtual_time, 1h + 1ns);
  EXPECT_EQ(read->scenarios[0].wall_time, 123456789ns);
}

TEST(JsonResults, InvalidUtf8IsWrittenAsReplacementCharacters) {
  scenario::RunResults results;
  scenario::ScenarioResult s;
  s.file = "f.yaml";
  s.name = "bad\xFFname";
  results.scenarios.push_back(s);
  std::string text = Write(results);
  ASSERT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded());
  Result<scenario::RunResults> read = ParseJsonResults(text, "r.json");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->scenarios[0].name, "bad\xEF\xBF\xBDname");
}

struct BadDocument {
  std::string_view text;
  std::string_view where;
  std::string_view message;
};

constexpr BadDocument kBadDocuments[] = {
    {"{", "r.json", "not valid JSON"},
    {"[]", "r.json: $", "expected an object, got an array"},
    {R"({"scenarios": []})", "r.json: $", "missing required member \"schema\""},
    {R"({"schema": "pullsim.results/v2"})", "r.json: $.schema", "another version"},
    {R"({"schema": "pullsim.results/v1", "seed": "x"})", "r.json: $.seed", "expected an integer"},
    {R"({"schema": "pullsim.results/v1", "seed": -1})", "r.json: $.seed", "out of range"},
    {R"({"schema": "pullsim.results/v1", "started": "yesterday"})", "r.json: $.started",
     "RFC 3339"},
    {R"({"schema": "pullsim.results/v1", "scenarios": {}})", "r.json: $.scenarios",
     "expected an array"},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a"}]})",
     "r.json: $.scenarios[0]", "missing required member \"status\""},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a", "status": "OK"}]})",
     "r.json: $.scenarios[0].status", "expected one of PASS, FAIL, XFAIL, XPASS, INVALID"},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a", "status": "PASS",
        "pods": [{"timeline": [{"kind": "pulling", "startMs": 5, "endMs": 1}]}]}]})",
     "r.json: $.scenarios[0].pods[0].timeline[0].endMs", "ends before it starts"},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a", "status": "PASS",
        "pods": [{"events": [{"atMs": "soon"}]}]}]})",
     "r.json: $.scenarios[0].pods[0].events[0].atMs", "expected a number of milliseconds"},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a", "status": "PASS",
        "world": {"nodes": [{"kubelet": {"a": 1}}]}}]})",
     "r.json: $.scenarios[0].world.nodes[0].kubelet.a", "expected a string, got a number"},
    {R"({"schema": "pullsim.results/v1", "scenarios": [{"file": "a", "name": "a", "status": "PASS",
        "requests": [{"atMs": 1e300}]}]})",
     "r.json: $.scenarios[0].requests[0].atMs", "out of range"},
    {R"({"schema": "pullsim.results/v1", "tests": [{"name": "a", "status": "BROKEN"}]})",
     "r.json: $.tests[0].status", "expected one of PASS, FAIL, SKIPPED"},
};

TEST(JsonResults, MalformedDocumentsSayWhereAndWhat) {
  for (const BadDocument& bad : kBadDocuments) {
    SCOPED_TRACE(std::string(bad.text));
    Result<scenario::RunResults> read = ParseJsonResults(bad.text, "r.json");
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(read.error().where, bad.where);
    EXPECT_NE(read.error().message.find(bad.message), std::string::npos) << read.error().message;
  }
}

TEST(JsonResults, UnknownMembersAreIgnored) {
  Result<scenario::RunResults> read = ParseJsonResults(
      R"({"schema": "pullsim.results/v1", "future": [1, 2], "scenarios": [{"file": "a.yaml",
          "name": "a", "status": "XFAIL", "extra": {"x": 1}}]})",
      "r.json");
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->scenarios[0].status, scenario::ScenarioStatus::kXfail);
}

TEST(JsonResults, MissingFileIsNotFound) {
  Result<scenario::RunResults> read = ReadJsonResults("/nonexistent/results.json");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
}

// reports/results-schema.json describes what the writer writes (python3-jsonschema, when there).
TEST(JsonResults, OutputMatchesThePublishedSchema) {
  if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-jsonschema is not installed";
  }
  std::filesystem::path dir = std::filesystem::path(PULLSIM_BINARY_DIR) / "report-test";
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "hand-built-results.json";
  {
    std::ofstream out(file, std::ios::binary);
    WriteJsonResults(testing::HandBuiltResults(), pullsim::testing::Catalogue(), out);
    ASSERT_TRUE(out.good());
  }
  std::string schema = pullsim::testing::SourcePath("reports/results-schema.json").string();
  std::string command =
      "python3 -c 'import json, sys, jsonschema; "
      "s = json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s); "
      "jsonschema.validate(json.load(open(sys.argv[2])), s, "
      "cls=jsonschema.Draft202012Validator)' '" +
      schema + "' '" + file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
}  // namespace pullsim::report
