#include <gtest/gtest.h>

#include "sim/core/result.h"

namespace pullsim {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "odd number " + std::to_string(n));
  return n / 2;
}

TEST(Result, CarriesValueOrError) {
  auto ok = Half(4);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 2);
  auto bad = Half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "odd number 3");
}

TEST(Error, PrintsWhereFirstLikeACompiler) {
  Error e{ErrorCode::kNotFound, "no such secret \"a\"", "fixtures/x.yaml:3:5 spec.secrets[0]"};
  EXPECT_EQ(e.ToString(), "fixtures/x.yaml:3:5 spec.secrets[0]: no such secret \"a\"");
  EXPECT_EQ((Error{ErrorCode::kInternal, "boom", ""}).ToString(), "boom");
}

TEST(ErrorCodeName, IsStableLowerCase) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kPermissionDenied), "permission_denied");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
}

}  // namespace
}  // namespace pullsim
