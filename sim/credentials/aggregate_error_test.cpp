// utilerrors.NewAggregate(...).Error(), as the kubelet and the API server print a list of errors.
#include "sim/credentials/aggregate_error.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

TEST(AggregateErrorText, CRED_13_BareWhenOneDistinctBracketedOtherwise) {
  testing::CoversRule("CRED-13");
  EXPECT_EQ(AggregateErrorText({"a"}), "a");
  EXPECT_EQ(AggregateErrorText({"a", "a"}), "a");
  EXPECT_EQ(AggregateErrorText({"a", "b", "a"}), "[a, b]");
  EXPECT_EQ(AggregateErrorText({"b", "a"}), "[b, a]");  // first-seen order, not sorted
  EXPECT_EQ(AggregateErrorText({}), "");
  EXPECT_EQ(AggregateErrorText({""}), "");
  EXPECT_EQ(AggregateErrorText({"", "x"}), "[, x]");
}

}  // namespace
}  // namespace pullsim::credentials
