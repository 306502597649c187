// CoversRule/CoversRules: catalogued ids pass and land in the "rules" property; unknown ids fail.
#include "sim/testing/covers_rule.h"

#include <string>
#include <vector>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace pullsim::testing {
namespace {

// The "rules" property the running test has recorded so far, or "" when there is none.
std::string RecordedRules() {
  const ::testing::TestResult& result =
      *::testing::UnitTest::GetInstance()->current_test_info()->result();
  for (int i = 0; i < result.test_property_count(); ++i) {
    if (std::string(result.GetTestProperty(i).key()) == "rules") {
      return result.GetTestProperty(i).value();
    }
  }
  return "";
}

TEST(CoversRules, RecordsRunTimeIdsInOrder) {
  const std::vector<std::string> ids = {"KUB-02", "REF-01", "CRED-13"};
  CoversRules(ids);
  EXPECT_EQ(RecordedRules(), "KUB-02,REF-01,CRED-13");
}

TEST(CoversRules, RecordsBracedIds) {
  CoversRules({"KUB-02", "REF-01"});
  EXPECT_EQ(RecordedRules(), "KUB-02,REF-01");
}

TEST(CoversRules, FailsOnAnIdTheCatalogueLacks) {
  // Built at run time: catalogue_test rejects unknown ids written as literals in test sources.
  const std::string unknown = std::string("KUB-") + "99";
  EXPECT_NONFATAL_FAILURE(CoversRules(std::vector<std::string>{"KUB-02", unknown}),
                          "test names rule \"KUB-99\", which conformance/rules.yaml lacks");
  EXPECT_NONFATAL_FAILURE(CoversRule(unknown), "\"KUB-99\"");
}

}  // namespace
}  // namespace pullsim::testing
