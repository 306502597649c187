// Every scenario under fixtures/ loads cleanly against the rule catalogue, declares the schema for
// editors, and the complete example of fixtures/README.md is itself a valid scenario.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_files.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Fixtures, EveryScenarioLoads) {
  LoadOptions options;
  options.catalogue = &pullsim::testing::Catalogue();
  ScenarioFiles found = CollectScenarioFiles({pullsim::testing::SourcePath("fixtures")});
  ASSERT_GE(found.files.size(), 4u);
  for (const auto& file : found.files) {
    SCOPED_TRACE(file.generic_string());
    auto loaded = LoadScenarioFile(file, options);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().ToError().ToString();
    EXPECT_FALSE(loaded->rules.empty());
    EXPECT_FALSE(loaded->steps.empty());
    EXPECT_EQ(loaded->name, file.stem().string()) << "name a scenario after its file";
  }
}

TEST(Fixtures, EveryScenarioNamesTheSchemaForEditors) {
  ScenarioFiles found = CollectScenarioFiles({pullsim::testing::SourcePath("fixtures")});
  for (const auto& file : found.files) {
    SCOPED_TRACE(file.generic_string());
    std::filesystem::path schema = pullsim::testing::SourcePath("fixtures/scenario.schema.json")
                                       .lexically_relative(file.parent_path());
    std::string first_line = Read(file).substr(0, Read(file).find('\n'));
    EXPECT_EQ(first_line, "# yaml-language-server: $schema=" + schema.generic_string());
  }
}

TEST(Fixtures, TheReadmeExampleIsAValidScenario) {
  std::string readme = Read(pullsim::testing::SourcePath("fixtures/README.md"));
  const std::string open = "```yaml\n";
  std::size_t start = readme.find(open);
  ASSERT_NE(start, std::string::npos);
  start += open.size();
  std::size_t end = readme.find("```", start);
  ASSERT_NE(end, std::string::npos);
  LoadOptions options;
  options.catalogue = &pullsim::testing::Catalogue();
  auto loaded = LoadScenarioText(readme.substr(start, end - start), "fixtures/README.md",
                                 pullsim::testing::SourcePath("fixtures/multi-tenant"), options);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToError().ToString();
  EXPECT_GE(loaded->steps.size(), 5u);
}

}  // namespace
}  // namespace pullsim::scenario
