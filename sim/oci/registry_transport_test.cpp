#include "sim/oci/registry_transport.h"

#include <gtest/gtest.h>

namespace pullsim::oci {
namespace {

TEST(DecodeForm, ReadsPairsInOrderWithPlusAsSpace) {
  const QueryParameters pairs = DecodeForm(
      "grant_type=password&username=ci+bot&password=p%26w%3D&scope=repository%3Aa%3Apull");
  const QueryParameters expected = {{"grant_type", "password"},
                                    {"username", "ci bot"},
                                    {"password", "p&w="},
                                    {"scope", "repository:a:pull"}};
  EXPECT_EQ(pairs, expected);
}

TEST(DecodeForm, KeepsBarePairsAndDropsMalformedEscapes) {
  const QueryParameters expected = {{"flag", ""}, {"", ""}, {"ok", "1"}};
  EXPECT_EQ(DecodeForm("flag&&bad=%zz&%g=1&ok=1&"), expected);
  EXPECT_TRUE(DecodeForm("").empty());
}

}  // namespace
}  // namespace pullsim::oci
