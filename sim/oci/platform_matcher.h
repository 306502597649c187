#pragma once
// Which platforms a node accepts and in which order of preference (ARCH-04, containerd's
// platforms.Only), and the choice of one index entry for a node (ARCH-05, ARCH-06: containerd's
// FilterPlatforms + LimitManifests(limit 1)).

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/platform.h"

namespace pullsim::oci {

struct Descriptor;

// platforms.Only(node): matches a platform when its normalised os/architecture/variant equals one
// of the node's acceptable platforms; earlier ones are preferred.
class PlatformMatcher {
 public:
  // ARCH-04: the node platform is normalised, then expanded into its preference vector.
  [[nodiscard]] static PlatformMatcher Only(const Platform& node,
                                            const PlatformOptions& options = {});

  // The position of `platform` in the preference order (0 = best); nullopt when not accepted.
  [[nodiscard]] std::optional<std::size_t> Rank(const Platform& platform) const;
  [[nodiscard]] bool Match(const Platform& platform) const { return Rank(platform).has_value(); }
  // containerd's Less: `a` matches an earlier preference than `b` does (or `b` matches none).
  [[nodiscard]] bool Less(const Platform& a, const Platform& b) const;

  // The acceptable platforms, normalised, most preferred first.
  [[nodiscard]] const std::vector<Platform>& preferences() const& { return preferences_; }
  // On a temporary matcher (`Only(node).preferences()` in a range-for) hand over a copy.
  [[nodiscard]] std::vector<Platform> preferences() && { return std::move(preferences_); }
  [[nodiscard]] const PlatformOptions& options() const { return options_; }

 private:
  PlatformMatcher(std::vector<Platform> preferences, PlatformOptions options)
      : preferences_(std::move(preferences)), options_(std::move(options)) {}

  std::vector<Platform> preferences_;
  PlatformOptions options_;
};

// ARCH-05/06: the index entry a node pulls. Entries that match, or carry no platform, are
// stable-sorted by preference (platform-less last) and the first wins. Returns its position in
// `entries`. kNotFound "no match for platform in manifest: not found" when none is left.
[[nodiscard]] Result<std::size_t> SelectManifest(std::span<const Descriptor> entries,
                                                 const PlatformMatcher& matcher);

// The same over bare platforms (nullopt = an entry without a platform field), for vectors.
[[nodiscard]] Result<std::size_t> SelectPlatform(std::span<const std::optional<Platform>> entries,
                                                 const PlatformMatcher& matcher);

// ARCH-06: containerd's text for "nothing fits", as the kubelet shows it after "desc = ...".
inline constexpr std::string_view kNoMatchForPlatform =
    "no match for platform in manifest: not found";

}  // namespace pullsim::oci
