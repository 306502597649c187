#include "sim/testing/covers_rule.h"

#include <cstdlib>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

namespace pullsim::testing {

std::filesystem::path SourcePath(std::string_view relative) {
  return std::filesystem::path(PULLSIM_SOURCE_DIR) / relative;
}

const RuleCatalogue& Catalogue() {
  static const RuleCatalogue catalogue = [] {
    auto loaded = RuleCatalogue::Load(SourcePath("conformance/rules.yaml"));
    if (!loaded) {
      std::cerr << "rule catalogue: " << loaded.error().ToString() << "\n";
      std::abort();
    }
    return *std::move(loaded);
  }();
  return catalogue;
}

namespace {

// Each id must be catalogued; the property lists them all, in order.
template <typename Ids>
void Cover(const Ids& ids) {
  std::string joined;
  for (std::string_view id : ids) {
    if (Catalogue().Find(id) == nullptr) {
      ADD_FAILURE() << "test names rule \"" << id << "\", which conformance/rules.yaml lacks";
    }
    if (!joined.empty()) joined += ",";
    joined += id;
  }
  ::testing::Test::RecordProperty("rules", joined);
}

}  // namespace

void CoversRules(std::initializer_list<std::string_view> ids) { Cover(ids); }

void CoversRules(const std::vector<std::string>& ids) { Cover(ids); }

void CoversRule(std::string_view id) { CoversRules({id}); }

}  // namespace pullsim::testing
