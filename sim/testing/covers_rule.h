#pragma once
// Ties a test to the spec rules it checks (STYLE.md §5): CoversRule("KUB-02") fails the test
// when the id is not in conformance/rules.yaml and records it as the test's "rules" property.

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/rule_catalogue.h"

namespace pullsim::testing {

// The repository's rule catalogue, loaded once; a broken catalogue aborts the test binary.
const RuleCatalogue& Catalogue();

// Marks the running test as covering `ids` (comma-joined in the "rules" property).
void CoversRule(std::string_view id);
void CoversRules(std::initializer_list<std::string_view> ids);
// The same for ids known only at run time, such as a vector file's `rules:` list.
void CoversRules(const std::vector<std::string>& ids);

// A path inside the source tree: SourcePath("fixtures/vectors/ref.yaml").
std::filesystem::path SourcePath(std::string_view relative);

}  // namespace pullsim::testing
