// LoadVectorFile: entries become vectors with their line; a malformed file or entry is an error
// naming file:line, never an exception; the count check fails on errors and dropped entries.
#include "sim/testing/vector_file.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace pullsim::testing {
namespace {

// Writes `text` to a file of its own under the test temp dir and returns its absolute path,
// which LoadVectorFile takes as it is (SourcePath keeps an absolute path).
std::string WriteVectorFile(const std::string& name, const std::string& text) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "vector_file";
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

// The messages of the failures `check` reports, which are kept from the running test.
std::vector<std::string> FailuresOf(const std::function<void()>& check) {
  ::testing::TestPartResultArray results;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    check();
  }
  std::vector<std::string> messages;
  for (int i = 0; i < results.size(); ++i) {
    messages.push_back(results.GetTestPartResult(i).message());
  }
  return messages;
}

TEST(VectorFile, LoadsEachEntryWithItsLine) {
  const std::string path = WriteVectorFile("good.yaml",
                                           "# header\n"
                                           "- id: first-1\n"
                                           "  rules: [KUB-02, REF-01]\n"
                                           "  input: {image: nginx}\n"
                                           "  expected: {pulled: true}\n"
                                           "- id: second\n"
                                           "  kind: parse\n"
                                           "  input: plain text\n"
                                           "  expected: [a, b]\n"
                                           "  version_notes: kept\n");
  const VectorFile& file = LoadVectorFile(path);
  EXPECT_TRUE(file.errors.empty());
  ASSERT_EQ(file.vectors.size(), 2u);
  EXPECT_EQ(file.id_lines, 2u);
  const Vector& first = file.vectors[0];
  EXPECT_EQ(first.id, "first-1");
  EXPECT_EQ(first.kind, "");
  EXPECT_EQ(first.rules, (std::vector<std::string>{"KUB-02", "REF-01"}));
  EXPECT_EQ(first.input["image"].as<std::string>(), "nginx");
  EXPECT_TRUE(first.expected["pulled"].as<bool>());
  EXPECT_EQ(first.line, 2);
  const Vector& second = file.vectors[1];
  EXPECT_EQ(second.kind, "parse");
  EXPECT_TRUE(second.rules.empty());
  EXPECT_EQ(second.input.as<std::string>(), "plain text");
  EXPECT_EQ(second.entry["version_notes"].as<std::string>(), "kept");
  EXPECT_EQ(second.line, 6);
  EXPECT_EQ(VectorsOfKind(file, "parse").size(), 1u);
  EXPECT_EQ(VectorsExceptKind(file, "parse").front().id, "first-1");
  ExpectEveryVectorLoaded(file, 2);
  // Loaded once: the same object on every call.
  EXPECT_EQ(&LoadVectorFile(path), &file);
}

TEST(VectorFile, NamesTheLineOfAMalformedEntryAndKeepsTheOthers) {
  const std::string path = WriteVectorFile("entries.yaml",
                                           "- id: ok\n"
                                           "  input: {}\n"
                                           "  expected: {}\n"
                                           "- id: no-expected\n"
                                           "  input: {}\n"
                                           "- id: bad-rules\n"
                                           "  rules: KUB-02\n"
                                           "  input: {}\n"
                                           "  expected: {}\n"
                                           "- input: {}\n"
                                           "  expected: {}\n");
  const VectorFile& file = LoadVectorFile(path);
  ASSERT_EQ(file.vectors.size(), 1u);
  EXPECT_EQ(file.vectors[0].id, "ok");
  EXPECT_EQ(file.errors, (std::vector<std::string>{
                             path + ":4: vector \"no-expected\" has no expected",
                             path + ":6: vector \"bad-rules\": rules must be a list of rule ids",
                             path + ":10: vector has no id",
                         }));
  const std::vector<std::string> failures = FailuresOf([&] { ExpectEveryVectorLoaded(file); });
  ASSERT_EQ(failures.size(), 4u);
  EXPECT_TRUE(failures[0].ends_with(file.errors[0])) << failures[0];
  EXPECT_TRUE(failures[2].ends_with(file.errors[2])) << failures[2];
  EXPECT_NE(failures[3].find(path + ": every \"- id:\" line must load as one vector"),
            std::string::npos)
      << failures[3];
}

TEST(VectorFile, NamesTheLineOfAYamlError) {
  const std::string path = WriteVectorFile("syntax.yaml",
                                           "- id: ok\n"
                                           "  input: {}\n"
                                           "  expected: {a: [1, 2}\n");
  const VectorFile& file = LoadVectorFile(path);
  EXPECT_TRUE(file.vectors.empty());
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_TRUE(file.errors[0].starts_with(path + ":3: ")) << file.errors[0];
  const std::vector<std::string> failures = FailuresOf([&] { ExpectEveryVectorLoaded(file); });
  ASSERT_FALSE(failures.empty());
  EXPECT_TRUE(failures[0].ends_with(file.errors[0])) << failures[0];
}

TEST(VectorFile, ReportsAMissingFileOrOneThatIsNotAList) {
  const std::string missing =
      (std::filesystem::path(::testing::TempDir()) / "vector_file" / "absent.yaml").string();
  EXPECT_EQ(LoadVectorFile(missing).errors,
            std::vector<std::string>{missing + ": cannot read the vector file"});
  const std::string map = WriteVectorFile("map.yaml", "id: lone\n");
  EXPECT_EQ(LoadVectorFile(map).errors,
            std::vector<std::string>{map + ": expected a list of vectors"});
}

TEST(VectorFile, CountCheckComparesWithTheIdLinesAndTheSharedSetSize) {
  // The text count sees "- id:" lines only, so an entry the loader and the text disagree on
  // (here one in flow style) fails the check instead of slipping by.
  const std::string path = WriteVectorFile("flow.yaml",
                                           "- id: one\n"
                                           "  input: {}\n"
                                           "  expected: {}\n"
                                           "- {id: two, input: {}, expected: {}}\n");
  const VectorFile& file = LoadVectorFile(path);
  EXPECT_TRUE(file.errors.empty());
  EXPECT_EQ(file.id_lines, 1u);
  ASSERT_EQ(file.vectors.size(), 2u);
  EXPECT_NONFATAL_FAILURE(ExpectEveryVectorLoaded(file), "every \"- id:\" line must load");
  const std::string small =
      WriteVectorFile("small.yaml", "- id: one\n  input: {}\n  expected: {}\n");
  EXPECT_NONFATAL_FAILURE(ExpectEveryVectorLoaded(LoadVectorFile(small), 2),
                          "fewer vectors than the shared set");
}

TEST(VectorFile, TestNamesKeepOnlyLettersAndDigits) {
  Vector vector;
  vector.id = "ref-01.a";
  vector.rules = {"REF-01", "POL-02"};
  const ::testing::TestParamInfo<Vector> param(vector, 0);
  EXPECT_EQ(VectorIdName(param), "ref_01_a");
  EXPECT_EQ(VectorIdAndRulesName(param), "ref_01_a_REF_01_POL_02");
  EXPECT_EQ(VectorRuleAndIdName(param), "REF_01_ref_01_a");
}

}  // namespace
}  // namespace pullsim::testing
