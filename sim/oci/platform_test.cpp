#include "sim/oci/platform.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

PlatformOptions Release(PlatformsRelease release) {
  PlatformOptions options;
  options.release = release;
  return options;
}

TEST(ParsePlatform, LoneComponentUsesTheHost) {
  pullsim::testing::CoversRule("ARCH-03");
  PlatformOptions options;
  options.host = HostPlatform{"linux", "arm", "v6"};
  auto os_only = ParsePlatform("linux", options);
  ASSERT_TRUE(os_only.has_value()) << os_only.error().ToString();
  EXPECT_EQ(*os_only, (Platform{"linux", "arm", "v6", "", {}, {}}));

  options.host.cpu_variant = "v7";  // v7 is arm's default and is left out
  EXPECT_EQ(ParsePlatform("windows", options)->variant, "");
  EXPECT_EQ(ParsePlatform("windows", options)->os, "windows");

  auto arch_only = ParsePlatform("aarch64", options);
  ASSERT_TRUE(arch_only.has_value());
  EXPECT_EQ(*arch_only, (Platform{"linux", "arm64", "", "", {}, {}}));
  EXPECT_EQ(ParsePlatform("armel")->variant, "v6");
  EXPECT_EQ(ParsePlatform("armhf")->variant, "");  // v7 dropped as for "arm"
  EXPECT_EQ(ParsePlatform("Linux")->os, "linux");
}

TEST(ParsePlatform, ReadsOsVersion) {
  auto platform = ParsePlatform("windows(10.0.17763)/amd64");
  ASSERT_TRUE(platform.has_value()) << platform.error().ToString();
  EXPECT_EQ(platform->os, "windows");
  EXPECT_EQ(platform->os_version, "10.0.17763");
  EXPECT_EQ(platform->architecture, "amd64");
}

TEST(ParsePlatform, ErrorsAreUpstreamsWords) {
  pullsim::testing::CoversRule("ARCH-03");
  struct Case {
    std::string_view specifier;
    PlatformsRelease release;
    std::string_view message;
  };
  const Case cases[] = {
      {"linux/arm/v7/x", PlatformsRelease::kV0_2_1,
       R"("linux/arm/v7/x": cannot parse platform specifier: invalid argument)"},
      {"", PlatformsRelease::kV0_2_1,
       R"("" is an invalid OS component of "": OSAndVersion specifier component must match )"
       R"("^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?$": invalid argument)"},
      {"linux/", PlatformsRelease::kV1_0_0_rc1,
       R"("" is an invalid component of "linux/": platform specifier component must match )"
       R"("^[A-Za-z0-9_.-]+$": invalid argument)"},
      {"lin ux/amd64", PlatformsRelease::kV0_2_1,
       R"("lin ux" is an invalid OS component of "lin ux/amd64": OSAndVersion specifier )"
       R"(component must match "^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?$": invalid )"
       "argument"},
      {"linux/amd64\n", PlatformsRelease::kV0_2_1,
       R"("amd64\n" is an invalid component of "linux/amd64\n": platform specifier component )"
       R"(must match "^[A-Za-z0-9_-]+$": invalid argument)"},
      {"linux/*/v7", PlatformsRelease::kV0_2_1,
       R"("linux/*/v7": wildcards not yet supported: invalid argument)"},
      {"sparc128", PlatformsRelease::kV0_2_1,
       R"("sparc128": unknown operating system or architecture: invalid argument)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.specifier);
    auto platform = ParsePlatform(c.specifier, Release(c.release));
    ASSERT_FALSE(platform.has_value());
    EXPECT_EQ(platform.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(platform.error().message, c.message);
  }
}

TEST(NormalizePlatform, FollowsTheTable) {
  pullsim::testing::CoversRule("ARCH-02");
  struct Case {
    Platform in;
    PlatformsRelease release;
    std::string_view want;
  };
  const Case cases[] = {
      {{"MacOS", "x86-64", "V1", "", {}, {}}, PlatformsRelease::kV0_2_1, "darwin/amd64"},
      {{"", "i386", "v2", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/386"},
      {{"linux", "aarch64", "8", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm64"},
      {{"linux", "arm64", "v8.0", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm64/v8.0"},
      {{"linux", "arm64", "v8.0", "", {}, {}}, PlatformsRelease::kV1_0_0_rc1, "linux/arm64"},
      {{"linux", "arm64", "9.0", "", {}, {}}, PlatformsRelease::kV1_0_0_rc1, "linux/arm64/v9"},
      {{"linux", "arm64", "9", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm64/9"},
      {{"linux", "armhf", "", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm/v7"},
      {{"linux", "armel", "v7", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm/v6"},
      {{"linux", "arm", "5", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm/v5"},
      {{"linux", "arm", "v4", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/arm/v4"},
      {{"linux", "PPC64LE", "", "", {}, {}}, PlatformsRelease::kV0_2_1, "linux/ppc64le"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.want));
    EXPECT_EQ(FormatPlatform(NormalizePlatform(c.in, Release(c.release))), c.want);
  }
}

TEST(FormatPlatform, JoinsLikeGoPathJoin) {
  EXPECT_EQ(FormatPlatform(Platform{}), "unknown");
  EXPECT_EQ(FormatPlatform(Platform{"linux", "", "", "", {}, {}}), "linux");
  EXPECT_EQ(FormatPlatform(Platform{"linux", "arm64", "..", "", {}, {}}), "linux");
  EXPECT_EQ(FormatPlatform(Platform{"linux", "arm", "v7", "", {}, {}}), "linux/arm/v7");
}

TEST(SplitPlatform, KeepsFieldsAsWritten) {
  auto platform = SplitPlatform("Linux/x86_64/V1");
  ASSERT_TRUE(platform.has_value());
  EXPECT_EQ(*platform, (Platform{"Linux", "x86_64", "V1", "", {}, {}}));
  EXPECT_FALSE(SplitPlatform("linux").has_value());
  EXPECT_FALSE(SplitPlatform("a/b/c/d").has_value());
}

TEST(PlatformsRelease, NamesRoundTrip) {
  for (PlatformsRelease release : {PlatformsRelease::kV0_2_1, PlatformsRelease::kV1_0_0_rc1}) {
    EXPECT_EQ(ParsePlatformsRelease(PlatformsReleaseName(release)), release);
  }
  EXPECT_FALSE(ParsePlatformsRelease("v2").has_value());
}

}  // namespace
}  // namespace pullsim::oci
