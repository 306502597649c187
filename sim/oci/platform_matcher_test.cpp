#include "sim/oci/platform_matcher.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/oci/descriptor.h"
#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

std::vector<std::string> Preferences(std::string_view node, PlatformsRelease release) {
  PlatformOptions options;
  options.release = release;
  auto platform = SplitPlatform(node);
  EXPECT_TRUE(platform.has_value());
  std::vector<std::string> out;
  for (const Platform& p : PlatformMatcher::Only(*platform, options).preferences()) {
    out.push_back(FormatPlatform(p));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(PlatformMatcher, ARCH_04_PreferenceOrderPerNode) {
  pullsim::testing::CoversRule("ARCH-04");
  constexpr auto kOld = PlatformsRelease::kV0_2_1;
  constexpr auto kNew = PlatformsRelease::kV1_0_0_rc1;
  EXPECT_EQ(Preferences("linux/amd64", kOld), (Strings{"linux/amd64", "linux/386"}));
  EXPECT_EQ(Preferences("linux/x86_64/v1", kOld), (Strings{"linux/amd64", "linux/386"}));
  EXPECT_EQ(Preferences("linux/amd64/v3", kOld),
            (Strings{"linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"}));
  EXPECT_EQ(
      Preferences("linux/arm64", kOld),
      (Strings{"linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"}));
  EXPECT_EQ(Preferences("linux/arm/v7", kOld),
            (Strings{"linux/arm/v7", "linux/arm/v6", "linux/arm/v5"}));
  EXPECT_EQ(Preferences("linux/armel", kOld), (Strings{"linux/arm/v6", "linux/arm/v5"}));
  EXPECT_EQ(Preferences("linux/arm/v5", kOld), (Strings{"linux/arm/v5"}));
  EXPECT_EQ(Preferences("linux/386", kOld), (Strings{"linux/386"}));
  EXPECT_EQ(Preferences("linux/s390x", kNew), (Strings{"linux/s390x"}));
  // v0.2.1 has no arm64 minor variants: v9 only reaches 32-bit arm.
  EXPECT_EQ(Preferences("linux/arm64/v9", kOld),
            (Strings{"linux/arm64/v9", "linux/arm/v9", "linux/arm/v8", "linux/arm/v7",
                     "linux/arm/v6", "linux/arm/v5"}));
  EXPECT_EQ(Preferences("linux/arm64/v8.2", kNew),
            (Strings{"linux/arm64/v8.2", "linux/arm64/v8.1", "linux/arm64", "linux/arm/v8",
                     "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"}));
  EXPECT_EQ(
      Preferences("linux/arm64/v9.1", kNew),
      (Strings{"linux/arm64/v9.1", "linux/arm64/v9", "linux/arm64/v8.6", "linux/arm64/v8.5",
               "linux/arm64/v8.4", "linux/arm64/v8.3", "linux/arm64/v8.2", "linux/arm64/v8.1",
               "linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"}));
  // Upstream reads a minor only from four-character variants: v8.10 behaves as v8.
  EXPECT_EQ(Preferences("linux/arm64/v8.10", kNew),
            (Strings{"linux/arm64/v8.10", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6",
                     "linux/arm/v5"}));
}

TEST(PlatformMatcher, ARCH_04_MatchesNormalisedAndSameOsOnly) {
  pullsim::testing::CoversRule("ARCH-04");
  const PlatformMatcher matcher = PlatformMatcher::Only(Platform{"linux", "arm64", "", "", {}, {}});
  EXPECT_TRUE(matcher.Match(Platform{"Linux", "aarch64", "8", "", {}, {}}));
  EXPECT_TRUE(matcher.Match(Platform{"linux", "armhf", "", "", {}, {}}));
  EXPECT_TRUE(matcher.Match(Platform{"linux", "arm", "v5", "", {}, {}}));
  EXPECT_FALSE(matcher.Match(Platform{"windows", "arm64", "", "", {}, {}}));
  EXPECT_FALSE(matcher.Match(Platform{"linux", "arm", "v4", "", {}, {}}));
  EXPECT_FALSE(matcher.Match(Platform{"unknown", "unknown", "", "", {}, {}}));
  EXPECT_EQ(matcher.Rank(Platform{"linux", "arm", "", "", {}, {}}), 2u);
  EXPECT_TRUE(matcher.Less(Platform{"linux", "arm64", "", "", {}, {}},
                           Platform{"linux", "arm", "v7", "", {}, {}}));
  EXPECT_FALSE(matcher.Less(Platform{"linux", "arm", "v7", "", {}, {}},
                            Platform{"linux", "arm", "v7", "", {}, {}}));
  EXPECT_TRUE(matcher.Less(Platform{"linux", "arm", "v7", "", {}, {}},
                           Platform{"linux", "amd64", "", "", {}, {}}));
}

Descriptor Entry(std::string_view name, std::optional<Platform> platform) {
  Descriptor descriptor = Describe(media_type::kOciManifest, name);
  descriptor.platform = std::move(platform);
  return descriptor;
}

TEST(SelectManifest, ARCH_05_ExactBeatsFallbackThenDocumentOrder) {
  pullsim::testing::CoversRule("ARCH-05");
  const PlatformMatcher matcher = PlatformMatcher::Only(Platform{"linux", "amd64", "", "", {}, {}});
  const std::vector<Descriptor> entries = {
      Entry("none", std::nullopt),
      Entry("386", Platform{"linux", "386", "", "", {}, {}}),
      Entry("amd64-a", Platform{"linux", "amd64", "", "", {}, {}}),
      Entry("amd64-b", Platform{"linux", "x86_64", "", "", {}, {}}),
  };
  EXPECT_EQ(SelectManifest(entries, matcher), 2u);
  EXPECT_EQ(SelectManifest(std::span(entries).first(2), matcher), 1u);
  EXPECT_EQ(SelectManifest(std::span(entries).first(1), matcher), 0u);
}

TEST(SelectManifest, ARCH_06_NoMatchIsNotFound) {
  pullsim::testing::CoversRule("ARCH-06");
  const PlatformMatcher matcher = PlatformMatcher::Only(Platform{"linux", "386", "", "", {}, {}});
  const std::vector<Descriptor> entries = {
      Entry("amd64", Platform{"linux", "amd64", "", "", {}, {}}),
  };
  auto chosen = SelectManifest(entries, matcher);
  ASSERT_FALSE(chosen.has_value());
  EXPECT_EQ(chosen.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chosen.error().message, "no match for platform in manifest: not found");
  EXPECT_FALSE(SelectManifest({}, matcher).has_value());
}

}  // namespace
}  // namespace pullsim::oci
