#include "sim/core/rule_catalogue.h"

#include <fstream>

#include <gtest/gtest.h>

namespace pullsim {
namespace {

std::filesystem::path WriteTemp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("pullsim_catalogue_" + name + ".yaml");
  std::ofstream(path) << text;
  return path;
}

TEST(RuleCatalogue, RecognisesWellFormedIds) {
  for (const char* id :
       {"REF-01", "POL-06", "KUB-14", "KEP2535-08", "CRED-17", "ADM-01", "ARCH-08"}) {
    EXPECT_TRUE(RuleCatalogue::IsWellFormedId(id)) << id;
  }
  for (const char* id : {"", "REF-1", "REF01", "ref-01", "FOO-01", "REF-001", "KEP-2535-01"}) {
    EXPECT_FALSE(RuleCatalogue::IsWellFormedId(id)) << id;
  }
}

TEST(RuleCatalogue, RejectsDuplicateIdsWithLocation) {
  auto path = WriteTemp("dup",
                        "- {id: REF-01, rule: a, spec: s, docs: d}\n"
                        "- {id: REF-01, rule: b, spec: s, docs: d}\n");
  auto got = RuleCatalogue::Load(path);
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().message.find("duplicate rule id \"REF-01\""), std::string::npos);
  EXPECT_NE(got.error().where.find(":2:"), std::string::npos) << got.error().where;
}

TEST(RuleCatalogue, RejectsMalformedIdAndUnknownField) {
  auto bad_id =
      RuleCatalogue::Load(WriteTemp("badid", "- {id: REF-1, rule: a, spec: s, docs: d}\n"));
  ASSERT_FALSE(bad_id.has_value());
  EXPECT_NE(bad_id.error().message.find("malformed rule id"), std::string::npos);
  auto unknown = RuleCatalogue::Load(
      WriteTemp("unknown", "- {id: REF-01, rule: a, spec: s, docs: d, colour: red}\n"));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("unknown field \"colour\""), std::string::npos);
}

TEST(RuleCatalogue, ReportsMissingFile) {
  auto got = RuleCatalogue::Load("/nonexistent/rules.yaml");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pullsim
