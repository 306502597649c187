#include "sim/oci/platform_matcher.h"

#include <charconv>
#include <string>

#include "sim/oci/descriptor.h"

namespace pullsim::oci {
namespace {

// Go's strconv.Atoi of what follows a leading "v": digits only (with an optional sign), no
// overflow; anything else fails.
std::optional<int> AtoiAfterV(std::string_view variant) {
  if (variant.starts_with('v')) variant.remove_prefix(1);
  if (variant.empty()) return std::nullopt;
  int value = 0;
  const char* begin = variant.data();
  const char* end = variant.data() + variant.size();
  if (*begin == '+') {
    ++begin;
    if (begin != end && *begin == '-') return std::nullopt;
  }
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return value;
}

std::optional<int> Atoi(std::string_view text) {
  return text.starts_with('v') ? std::nullopt : AtoiAfterV(text);
}

Platform Variant(const Platform& base, std::string_view architecture, std::string variant) {
  Platform out;
  out.os = base.os;
  out.os_version = base.os_version;
  out.os_features = base.os_features;
  out.architecture = std::string(architecture);
  out.variant = std::move(variant);
  return out;
}

// ARCH-04: compare.go platformVector, per release.
std::vector<Platform> PlatformVector(const Platform& platform, PlatformsRelease release) {
  std::vector<Platform> vector = {platform};
  if (platform.architecture == "amd64") {
    if (auto version = AtoiAfterV(platform.variant); version && *version > 1) {
      for (int v = *version - 1; v >= 1; --v) {
        vector.push_back(Variant(platform, "amd64", "v" + std::to_string(v)));
      }
    }
    vector.push_back(Variant(platform, "386", ""));
  } else if (platform.architecture == "arm") {
    if (auto version = AtoiAfterV(platform.variant); version && *version > 5) {
      for (int v = *version - 1; v >= 5; --v) {
        vector.push_back(Variant(platform, "arm", "v" + std::to_string(v)));
      }
    }
  } else if (platform.architecture == "arm64") {
    std::string variant = platform.variant.empty() ? "v8" : platform.variant;
    if (release == PlatformsRelease::kV1_0_0_rc1) {
      // rc.1: arm64/v8.x also accepts v8.(x-1)..v8; v9.x accepts v9.(x-1)..v9, then v8.(x+5)..v8.
      const std::size_t dot = variant.find('.');
      const std::string_view major_text = std::string_view(variant).substr(0, dot);
      const std::string_view minor_text =
          dot == std::string::npos ? std::string_view() : std::string_view(variant).substr(dot + 1);
      if (auto major = AtoiAfterV(major_text); major && *major >= 8) {
        int arm_major = *major;
        int arm_minor = 0;
        // Upstream reads a minor only from four-character variants ("v8.5"), so "v8.10" has none.
        if (variant.size() == 4 && dot != std::string::npos) {
          if (auto minor = Atoi(minor_text)) arm_minor = *minor;
        }
        auto name = [](int major_version, int minor_version) {
          return minor_version == 0
                     ? "v" + std::to_string(major_version)
                     : "v" + std::to_string(major_version) + "." + std::to_string(minor_version);
        };
        if (arm_major == 9) {
          for (int minor = arm_minor - 1; minor >= 0; --minor) {
            vector.push_back(Variant(platform, "arm64", name(9, minor)));
          }
          // v9.0 diverged from v8.5, so v9.x runs what v8.(x+5) runs.
          arm_minor += 5;
          arm_major = 8;
          vector.push_back(Variant(platform, "arm64", "v8." + std::to_string(arm_minor)));
        }
        for (int minor = arm_minor - 1; minor >= 0; --minor) {
          vector.push_back(Variant(platform, "arm64", name(arm_major, minor)));
        }
      }
      if (variant.starts_with("v8.") || variant.starts_with("v9.")) variant = "v8";
    }
    // 64-bit ARM runs 32-bit ARM images of the same (or an older) variant.
    std::vector<Platform> arm = PlatformVector(Variant(platform, "arm", variant), release);
    vector.insert(vector.end(), arm.begin(), arm.end());
  }
  return vector;
}

}  // namespace

PlatformMatcher PlatformMatcher::Only(const Platform& node, const PlatformOptions& options) {
  std::vector<Platform> preferences =
      PlatformVector(NormalizePlatform(node, options), options.release);
  // NewMatcher normalises each preference, so "amd64/v1" compares as "amd64".
  for (Platform& preference : preferences) preference = NormalizePlatform(preference, options);
  return PlatformMatcher(std::move(preferences), options);
}

std::optional<std::size_t> PlatformMatcher::Rank(const Platform& platform) const {
  const Platform normalized = NormalizePlatform(platform, options_);
  for (std::size_t i = 0; i < preferences_.size(); ++i) {
    const Platform& preference = preferences_[i];
    // ARCH-08: OS version and OS features are not compared.
    if (preference.os == normalized.os && preference.architecture == normalized.architecture &&
        preference.variant == normalized.variant) {
      return i;
    }
  }
  return std::nullopt;
}

bool PlatformMatcher::Less(const Platform& a, const Platform& b) const {
  const std::optional<std::size_t> rank_a = Rank(a);
  if (!rank_a) return false;
  const std::optional<std::size_t> rank_b = Rank(b);
  return !rank_b || *rank_a < *rank_b;
}

Result<std::size_t> SelectPlatform(std::span<const std::optional<Platform>> entries,
                                   const PlatformMatcher& matcher) {
  // FilterPlatforms keeps matching and platform-less entries; LimitManifests stable-sorts them
  // (platform-less last) and keeps the first: the lowest rank, earliest in document order.
  std::optional<std::size_t> best;
  std::optional<std::size_t> best_rank;
  std::optional<std::size_t> first_without_platform;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].has_value()) {
      if (!first_without_platform) first_without_platform = i;
      continue;
    }
    const std::optional<std::size_t> rank = matcher.Rank(*entries[i]);
    if (rank && (!best_rank || *rank < *best_rank)) {
      best = i;
      best_rank = rank;
    }
  }
  if (best) return *best;
  if (first_without_platform) return *first_without_platform;
  return Fail(ErrorCode::kNotFound, std::string(kNoMatchForPlatform));
}

Result<std::size_t> SelectManifest(std::span<const Descriptor> entries,
                                   const PlatformMatcher& matcher) {
  std::vector<std::optional<Platform>> platforms;
  platforms.reserve(entries.size());
  for (const Descriptor& entry : entries) platforms.push_back(entry.platform);
  return SelectPlatform(platforms, matcher);
}

}  // namespace pullsim::oci
