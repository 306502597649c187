// Every rule of the catalogue is covered in the main job's report (scripts/main-job.sh) — the
// rule table of the full run: by a scenario under fixtures/ whose `rules:` names it, or by a test
// the main job runs that names it with CoversRule() (a literal id, or a vector file's `rules:`
// that a conformance suite passes on) — unless the catalogue marks it `not_simulated` and says
// why (issue 7). Running every test here would cost minutes, so the scan models that run: it
// counts only the test sources built into the executables the main job runs, read from the
// CMakeLists.txt files that declare them.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

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

// A GoogleTest executable as CMake declares it: pullsim_add_module(NAME ... TEST_SOURCES ...)
// makes NAME_test, labelled unit; pullsim_add_test(NAME SOURCES ... LABELS ...) makes NAME.
struct TestExecutable {
  std::string name;
  std::set<std::string> labels;
  std::vector<std::filesystem::path> sources;
};

// The calls `function(...)` in a CMake file, comments removed, each as its words.
std::vector<std::vector<std::string>> CMakeCalls(const std::string& text,
                                                 const std::string& function) {
  static const std::regex kComment("#[^\n]*");
  const std::string code = std::regex_replace(text, kComment, "");
  std::vector<std::vector<std::string>> calls;
  for (std::size_t at = code.find(function + "("); at != std::string::npos;
       at = code.find(function + "(", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_')) {
      continue;  // another function whose name ends the same
    }
    const std::size_t open = at + function.size();
    int depth = 0;
    std::size_t close = open;
    for (; close < code.size(); ++close) {
      if (code[close] == '(') ++depth;
      if (code[close] == ')' && --depth == 0) break;
    }
    std::istringstream words(code.substr(open + 1, close - open - 1));
    std::vector<std::string> call;
    for (std::string word; words >> word;) call.push_back(word);
    calls.push_back(std::move(call));
  }
  return calls;
}

// The words after `keyword` up to the next keyword of the call.
std::vector<std::string> Argument(const std::vector<std::string>& call,
                                  const std::string& keyword) {
  static const std::set<std::string> kKeywords = {"SOURCES", "DEPS", "LABELS", "TEST_SOURCES",
                                                  "TEST_DEPS"};
  std::vector<std::string> values;
  bool in = false;
  for (std::size_t i = 1; i < call.size(); ++i) {
    if (kKeywords.contains(call[i])) {
      in = call[i] == keyword;
      continue;
    }
    if (in) values.push_back(call[i]);
  }
  return values;
}

// A source named in a CMake file of `folder`; empty (with a failure) when it names a variable
// this scan cannot expand, as the model of the run would then be wrong.
std::filesystem::path SourceFile(std::string word, const std::filesystem::path& folder) {
  for (const std::string variable : {"${PROJECT_SOURCE_DIR}/", "${CMAKE_CURRENT_SOURCE_DIR}/"}) {
    if (word.starts_with(variable)) {
      const std::filesystem::path base =
          variable == "${PROJECT_SOURCE_DIR}/" ? SourcePath("") : folder;
      return base / word.substr(variable.size());
    }
  }
  if (word.find("${") != std::string::npos) {
    ADD_FAILURE() << Relative(folder / "CMakeLists.txt") << ": test source \"" << word
                  << "\" names a variable this scan cannot expand; teach SourceFile() about it";
    return {};
  }
  return folder / word;
}

std::vector<TestExecutable> ReadTestExecutables() {
  std::vector<TestExecutable> executables;
  for (const char* root : {"sim", "conformance"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SourcePath(root))) {
      if (entry.path().filename() != "CMakeLists.txt") continue;
      const std::filesystem::path folder = entry.path().parent_path();
      const std::string text = ReadFile(entry.path());
      auto add = [&](std::string name, std::set<std::string> labels,
                     const std::vector<std::string>& sources) {
        TestExecutable executable{std::move(name), std::move(labels), {}};
        for (const std::string& word : sources) {
          std::filesystem::path file = SourceFile(word, folder);
          if (!file.empty()) executable.sources.push_back(std::move(file));
        }
        executables.push_back(std::move(executable));
      };
      for (const auto& call : CMakeCalls(text, "pullsim_add_module")) {
        const std::vector<std::string> sources = Argument(call, "TEST_SOURCES");
        if (!call.empty() && !sources.empty()) add(call[0] + "_test", {"unit"}, sources);
      }
      for (const auto& call : CMakeCalls(text, "pullsim_add_test")) {
        if (call.empty()) continue;
        const std::vector<std::string> labels = Argument(call, "LABELS");
        add(call[0], {labels.begin(), labels.end()}, Argument(call, "SOURCES"));
      }
    }
  }
  return executables;
}

// What scripts/main-job.sh runs: the executables labelled unit or conformance, less
// testing_test, whose CoversRule() tests record sample ids to check CoversRule() itself.
bool MainJobRuns(const TestExecutable& executable) {
  return executable.name != "testing_test" &&
         (executable.labels.contains("unit") || executable.labels.contains("conformance"));
}

// The test sources built into the executables the main job runs.
std::set<std::filesystem::path> MainJobTestSources() {
  std::set<std::filesystem::path> sources;
  for (const TestExecutable& executable : ReadTestExecutables()) {
    if (!MainJobRuns(executable)) continue;
    for (const std::filesystem::path& file : executable.sources) {
      sources.insert(file.lexically_normal());
    }
  }
  return sources;
}

// The literal ids of CoversRule and CoversRules calls in `sources`; and the vector files whose
// `rules:` they pass on at run time (CoversRules(GetParam().rules) in a suite that names the
// file), returned for AddVectorsAndScenarios.
std::set<std::string> AddTests(Coverage& coverage, const std::set<std::filesystem::path>& sources) {
  static const std::regex kCall(R"re(CoversRules?\(\{?\s*("[^)]*)\)?\))re");
  static const std::regex kLiteral(R"re("([^"]*)")re");
  static const std::regex kRunTimeIds(R"re(CoversRules\(\s*[A-Za-z_][\w.()]*\.rules\s*\))re");
  static const std::regex kVectorFile(R"re("(fixtures/vectors/[^"]+\.yaml)")re");
  std::set<std::string> forwarded_vectors;
  for (const std::filesystem::path& file : sources) {
    // The catalogue's own tests and this one name ids without checking them.
    const std::string name = file.filename().string();
    if (name == "catalogue_test.cpp" || name == "rule_coverage_test.cpp") continue;
    const std::string text = ReadFile(file);
    for (std::sregex_iterator call(text.begin(), text.end(), kCall), end; call != end; ++call) {
      const std::string args = (*call)[1].str();
      for (std::sregex_iterator lit(args.begin(), args.end(), kLiteral); lit != end; ++lit) {
        coverage[(*lit)[1].str()].insert(Relative(file));
      }
    }
    if (!std::regex_search(text, kRunTimeIds)) continue;
    for (std::sregex_iterator vector(text.begin(), text.end(), kVectorFile), end; vector != end;
         ++vector) {
      forwarded_vectors.insert((*vector)[1].str());
    }
  }
  return forwarded_vectors;
}

void AddRules(Coverage& coverage, const YAML::Node& rules, const std::filesystem::path& file) {
  if (!rules || !rules.IsSequence()) return;
  for (const YAML::Node& id : rules) {
    if (id.IsScalar()) coverage[id.Scalar()].insert(Relative(file));
  }
}

void AddVectorsAndScenarios(Coverage& coverage, const std::set<std::string>& forwarded_vectors) {
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
      // A vector file counts only through a suite the main job runs that passes its ids on.
      if (!forwarded_vectors.contains(relative)) continue;
      for (const YAML::Node& vector : document) AddRules(coverage, vector["rules"], entry.path());
    } else if (document.IsMap()) {
      AddRules(coverage, document["rules"], entry.path());
    }
  }
}

// Rule id -> where the main job's report finds it covered.
Coverage CollectCoverage() {
  Coverage coverage;
  const std::set<std::string> forwarded_vectors = AddTests(coverage, MainJobTestSources());
  AddVectorsAndScenarios(coverage, forwarded_vectors);
  return coverage;
}

// The rule table of the main job's report shows no simulated rule UNTESTED.
TEST(RuleCoverage, EverySimulatedRuleIsCoveredInTheMainJobsReport) {
  const Coverage coverage = CollectCoverage();
  std::size_t covered = 0;
  for (const Rule& rule : Catalogue().rules()) {
    auto found = coverage.find(rule.id);
    if (found != coverage.end()) {
      ++covered;
      continue;
    }
    EXPECT_FALSE(rule.not_simulated.empty())
        << rule.id << " (" << rule.rule << ") is checked by no scenario and no test the main job "
        << "runs (ctest labels unit, conformance), so its report shows it UNTESTED; add one "
        << "(CoversRule(\"" << rule.id << "\"), a vector's rules:, or a fixture's rules:) or mark "
        << "it not_simulated in conformance/rules.yaml with the reason";
  }
  EXPECT_GT(covered, Catalogue().rules().size() / 2) << "the coverage scan found too little";
}

// The model of the main job above reads the executables as CMake declares them; it must see the
// ones the main job runs and leave out those it does not.
TEST(RuleCoverage, ReadsTheTestExecutablesTheMainJobRuns) {
  std::map<std::string, const TestExecutable*> by_name;
  const std::vector<TestExecutable> executables = ReadTestExecutables();
  for (const TestExecutable& executable : executables) by_name[executable.name] = &executable;
  const auto expect = [&](const std::string& name, bool runs, const std::string& source) {
    SCOPED_TRACE(name);
    auto found = by_name.find(name);
    ASSERT_NE(found, by_name.end()) << "not found in any CMakeLists.txt";
    EXPECT_EQ(MainJobRuns(*found->second), runs);
    const std::filesystem::path file = SourcePath(source).lexically_normal();
    EXPECT_TRUE(std::any_of(found->second->sources.begin(), found->second->sources.end(),
                            [&](const auto& path) { return path.lexically_normal() == file; }))
        << source;
  };
  expect("core_test", true, "sim/core/rule_catalogue_test.cpp");
  expect("conformance_ref", true, "conformance/ref_vectors_test.cpp");
  expect("ref_command_test", true, "sim/cli/command_ref.cpp");
  expect("oci_interop_test", false, "sim/oci/image_layout_interop_test.cpp");
  expect("testing_test", false, "sim/testing/covers_rule_test.cpp");
}

// A *_test.cpp that no executable builds is run by nobody, and its rules count for nothing.
TEST(RuleCoverage, EveryTestSourceIsBuiltIntoATestExecutable) {
  std::set<std::filesystem::path> built;
  for (const TestExecutable& executable : ReadTestExecutables()) {
    for (const auto& file : executable.sources) built.insert(file.lexically_normal());
  }
  for (const char* root : {"sim", "conformance"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SourcePath(root))) {
      if (!entry.path().filename().string().ends_with("_test.cpp")) continue;
      EXPECT_TRUE(built.contains(entry.path().lexically_normal()))
          << Relative(entry.path()) << " is in no pullsim_add_test or TEST_SOURCES list";
    }
  }
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
