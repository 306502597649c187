#include "sim/reference/pull_policy.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::reference {
namespace {

TEST(DefaultPullPolicy, POL_01_AlwaysOnlyForLatest) {
  testing::CoversRule("POL-01");
  const std::string digest = "@sha256:" + std::string(64, 'e');
  const struct {
    std::string image;
    PullPolicy expected;
  } kCases[] = {
      {"nginx", PullPolicy::kAlways},
      {"localhost:5000/app", PullPolicy::kAlways},
      {"nginx:latest", PullPolicy::kAlways},
      {"nginx:latest" + digest, PullPolicy::kAlways},
      {"nginx:1.25", PullPolicy::kIfNotPresent},
      {"nginx:LATEST", PullPolicy::kIfNotPresent},
      {"nginx:Latest", PullPolicy::kIfNotPresent},
      {"nginx" + digest, PullPolicy::kIfNotPresent},
      {"nginx:1" + digest, PullPolicy::kIfNotPresent},
      {"Nginx", PullPolicy::kIfNotPresent},
      {"nginx:", PullPolicy::kIfNotPresent},
      {" nginx", PullPolicy::kIfNotPresent},
      {"", PullPolicy::kIfNotPresent},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.image);
    EXPECT_EQ(DefaultPullPolicy(c.image), c.expected);
  }
}

TEST(ParsePullPolicy, POL_03_ExactNames) {
  testing::CoversRule("POL-03");
  for (PullPolicy policy : {PullPolicy::kAlways, PullPolicy::kIfNotPresent, PullPolicy::kNever}) {
    EXPECT_EQ(ParsePullPolicy(PullPolicyName(policy)), policy);
  }
  EXPECT_EQ(PullPolicyName(PullPolicy::kIfNotPresent), "IfNotPresent");
  for (std::string_view text : {"always", "ALWAYS", "", "Never ", "ifnotpresent"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParsePullPolicy(text), std::nullopt);
  }
}

}  // namespace
}  // namespace pullsim::reference
