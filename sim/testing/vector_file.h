#pragma once
// Rule vector files (fixtures/vectors/*.yaml): a list of `{id, rules, kind?, input, expected}`
// entries that the conformance suites run one test each (STYLE.md §5: vectors stay data).
// LoadVectorFile reads one file once; ExpectEveryVectorLoaded is each suite's count test.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace pullsim::testing {

// One entry of a vector file.
struct Vector {
  std::string id;
  std::string kind;  // empty when the entry names none
  std::vector<std::string> rules;
  YAML::Node input;
  YAML::Node expected;
  YAML::Node entry;  // the whole entry, for keys only one suite reads (version_notes)
  int line = 0;      // 1-based line of the entry's `- id:` in the file
};

// gtest prints a vector parameter as its id, not as its bytes.
void PrintTo(const Vector& vector, std::ostream* out);

struct VectorFile {
  std::string path;  // as given: "fixtures/vectors/ref.yaml"
  std::vector<Vector> vectors;
  // "fixtures/vectors/ref.yaml:12: vector has no id", one per entry or file that did not load.
  std::vector<std::string> errors;
  // Lines starting "- id:", counted as text apart from the YAML loader, so a loader or file
  // that drops vectors is caught by ExpectEveryVectorLoaded.
  std::size_t id_lines = 0;
};

// Loads `relative` (a path inside the source tree) once per process and returns it from then on.
// A file that does not read, does not parse or has malformed entries keeps its good entries and
// names each problem in `errors` with file:line; it never throws.
const VectorFile& LoadVectorFile(std::string_view relative);

// The vectors of `file` whose kind is / is not `kind`, for suites that run part of a shared file.
std::vector<Vector> VectorsOfKind(const VectorFile& file, std::string_view kind);
std::vector<Vector> VectorsExceptKind(const VectorFile& file, std::string_view kind);

// The count test: the file loaded without errors, every `- id:` line became a vector, and it
// holds at least `at_least` vectors (the shared subset's size, from the file's header).
void ExpectEveryVectorLoaded(const VectorFile& file, std::size_t at_least = 1);

// Test names for INSTANTIATE_TEST_SUITE_P, each character outside [A-Za-z0-9] written '_':
// the id ("ref_001"), the id then each rule ("adm_01_ADM_01"), the first rule then the id
// ("CRED_07_match_01").
std::string VectorIdName(const ::testing::TestParamInfo<Vector>& param);
std::string VectorIdAndRulesName(const ::testing::TestParamInfo<Vector>& param);
std::string VectorRuleAndIdName(const ::testing::TestParamInfo<Vector>& param);

}  // namespace pullsim::testing
