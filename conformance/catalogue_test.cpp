// The rule catalogue is the one list of rule ids; everything that names a rule must name one of
// these (Kubernetes behaviors_test.go, STYLE.md §5).
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/testing/covers_rule.h"

namespace pullsim {
namespace {

using testing::Catalogue;
using testing::SourcePath;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RuleCatalogue, ListsEverySpecRuleOnce) {
  // 12 REF + 6 POL + 14 KUB + 8 KEP2535 + 17 CRED + 8 ADM + 8 ARCH rules in the spec.
  std::map<std::string, int> per_family;
  for (const Rule& rule : Catalogue().rules()) per_family[rule.id.substr(0, rule.id.find('-'))]++;
  EXPECT_EQ(per_family["REF"], 12);
  EXPECT_EQ(per_family["POL"], 6);
  EXPECT_EQ(per_family["KUB"], 14);
  EXPECT_EQ(per_family["KEP2535"], 8);
  EXPECT_EQ(per_family["CRED"], 17);
  EXPECT_EQ(per_family["ADM"], 8);
  EXPECT_EQ(per_family["ARCH"], 8);
}

TEST(RuleCatalogue, VectorsNameOnlyKnownRules) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("fixtures/vectors"))) {
    if (entry.path().extension() != ".yaml") continue;
    YAML::Node vectors = YAML::LoadFile(entry.path().string());
    for (const YAML::Node& vector : vectors) {
      if (!vector["rules"]) continue;
      for (const YAML::Node& id : vector["rules"]) {
        ++checked;
        EXPECT_NE(Catalogue().Find(id.as<std::string>()), nullptr)
            << entry.path().filename() << " " << vector["id"].as<std::string>("?") << " names "
            << id.as<std::string>();
      }
    }
  }
  EXPECT_GT(checked, 100);
}

// Every CoversRule("...") literal in the test sources names a catalogued id, so a typo is caught
// even in a test that is disabled or filtered out.
TEST(RuleCatalogue, TestsNameOnlyKnownRules) {
  static const std::regex kCall(R"re(CoversRules?\(\{?\s*("[^)]*)\)?\))re");
  static const std::regex kLiteral(R"re("([^"]*)")re");
  int checked = 0;
  for (const char* root : {"sim", "conformance"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SourcePath(root))) {
      std::string name = entry.path().filename().string();
      if (!name.ends_with("_test.cpp") || name == "catalogue_test.cpp") continue;
      std::string text = ReadFile(entry.path());
      for (std::sregex_iterator call(text.begin(), text.end(), kCall), end; call != end; ++call) {
        std::string args = (*call)[1].str();
        for (std::sregex_iterator lit(args.begin(), args.end(), kLiteral); lit != end; ++lit) {
          ++checked;
          EXPECT_NE(Catalogue().Find((*lit)[1].str()), nullptr)
              << entry.path() << " names unknown rule " << (*lit)[1].str();
        }
      }
    }
  }
  SUCCEED() << checked << " rule names checked";
}

TEST(RuleCatalogue, NotSimulatedRulesSayWhy) {
  for (const Rule& rule : Catalogue().rules()) {
    if (!rule.not_simulated.empty()) {
      EXPECT_GT(rule.not_simulated.size(), 20u) << rule.id;
    }
  }
}

}  // namespace
}  // namespace pullsim
