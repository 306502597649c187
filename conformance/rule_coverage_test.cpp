// Every rule of the catalogue is checked by something: a test that names it with CoversRule()
// (sim/**/*_test.cpp, conformance/*.cpp), a rule vector whose `rules:` names it (the conformance
// suites run every vector), or a scenario under fixtures/ whose `rules:` names it — unless the
// catalogue marks it `not_simulated` and says why (issue 7).
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

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

// Rule id -> where it is covered ("conformance/x_test.cpp", "fixtures/y.yaml").
using Coverage = std::map<std::string, std::set<std::string>>;

std::string Relative(const std::filesystem::path& path) {
  return std::filesystem::relative(path, SourcePath("")).generic_string();
}

void AddTests(Coverage& coverage) {
  static const std::regex kCall(R"re(CoversRules?\(\{?\s*("[^)]*)\)?\))re");
  static const std::regex kLiteral(R"re("([^"]*)")re");
  auto scan = [&](const std::filesystem::path& file) {
    const std::string text = ReadFile(file);
    for (std::sregex_iterator call(text.begin(), text.end(), kCall), end; call != end; ++call) {
      const std::string args = (*call)[1].str();
      for (std::sregex_iterator lit(args.begin(), args.end(), kLiteral); lit != end; ++lit) {
        coverage[(*lit)[1].str()].insert(Relative(file));
      }
    }
  };
  for (const auto& entry : std::filesystem::recursive_directory_iterator(SourcePath("sim"))) {
    if (entry.path().filename().string().ends_with("_test.cpp")) scan(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("conformance"))) {
    const std::string name = entry.path().filename().string();
    // The catalogue's own tests and this one name ids without checking them.
    if (name == "catalogue_test.cpp" || name == "rule_coverage_test.cpp") continue;
    if (entry.path().extension() == ".cpp") scan(entry.path());
  }
}

void AddRules(Coverage& coverage, const YAML::Node& rules, const std::filesystem::path& file) {
  if (!rules || !rules.IsSequence()) return;
  for (const YAML::Node& id : rules) {
    if (id.IsScalar()) coverage[id.Scalar()].insert(Relative(file));
  }
}

void AddVectorsAndScenarios(Coverage& coverage) {
  const std::filesystem::path fixtures = SourcePath("fixtures");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(fixtures)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string relative = Relative(entry.path());
    if (relative.find("/data/") != std::string::npos) continue;
    YAML::Node document;
    try {
      document = YAML::LoadFile(entry.path().string());
    } catch (const YAML::Exception& error) {
      ADD_FAILURE() << relative << ": " << error.what();
      continue;
    }
    if (relative.starts_with("fixtures/vectors/")) {
      for (const YAML::Node& vector : document) AddRules(coverage, vector["rules"], entry.path());
    } else if (document.IsMap()) {
      AddRules(coverage, document["rules"], entry.path());
    }
  }
}

Coverage CollectCoverage() {
  Coverage coverage;
  AddTests(coverage);
  AddVectorsAndScenarios(coverage);
  return coverage;
}

TEST(RuleCoverage, EverySimulatedRuleIsCheckedByATestVectorOrScenario) {
  const Coverage coverage = CollectCoverage();
  std::size_t covered = 0;
  for (const Rule& rule : Catalogue().rules()) {
    auto found = coverage.find(rule.id);
    if (found != coverage.end()) {
      ++covered;
      continue;
    }
    EXPECT_FALSE(rule.not_simulated.empty())
        << rule.id << " (" << rule.rule << ") is checked by no test, vector or scenario; add one "
        << "(CoversRule(\"" << rule.id << "\"), a vector's rules:, or a fixture's rules:) or mark "
        << "it not_simulated in conformance/rules.yaml with the reason";
  }
  EXPECT_GT(covered, Catalogue().rules().size() / 2) << "the coverage scan found too little";
}

// Scenarios are the behaviour a reviewer reads: the rules the four use cases are about must each
// be shown by at least one scenario, not only by unit tests.
TEST(RuleCoverage, ScenariosShowTheUseCaseFamilies) {
  const Coverage coverage = CollectCoverage();
  std::set<std::string> families;
  for (const auto& [id, places] : coverage) {
    for (const std::string& place : places) {
      if (place.starts_with("fixtures/") && !place.starts_with("fixtures/vectors/")) {
        families.insert(id.substr(0, id.find('-')));
      }
    }
  }
  for (const char* family : {"POL", "KUB", "KEP2535", "CRED", "ADM", "ARCH"}) {
    EXPECT_TRUE(families.contains(family))
        << "no scenario under fixtures/ shows a " << family << " rule";
  }
}

}  // namespace
}  // namespace pullsim
