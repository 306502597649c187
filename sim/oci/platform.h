#pragma once
// Platforms of image index entries and nodes: the specifier syntax `os[/arch[/variant]]`
// (ARCH-03), normalisation (ARCH-02) and formatting, as containerd/platforms does them.

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::oci {

// The OCI `platform` object of a descriptor or an image config.
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;                   // "" when absent
  std::string os_version;                // "os.version"; "" when absent
  std::vector<std::string> os_features;  // "os.features"
  std::vector<std::string> features;     // reserved by the image-spec; kept, never matched

  friend bool operator==(const Platform&, const Platform&) = default;
};

// The two containerd/platforms releases whose rules differ (ARCH-02..04): containerd 1.7 and 2.0
// ship v0.2.1; containerd main requires v1.0.0-rc.1 (dots in specifier components, arm64 v8.x
// and v9.x variants).
enum class PlatformsRelease { kV0_2_1, kV1_0_0_rc1 };
inline constexpr PlatformsRelease kDefaultPlatformsRelease = PlatformsRelease::kV0_2_1;

// "v0.2.1" / "v1.0.0-rc.1".
[[nodiscard]] std::string_view PlatformsReleaseName(PlatformsRelease release);
// The inverse of PlatformsReleaseName; kInvalidArgument for anything else.
[[nodiscard]] Result<PlatformsRelease> ParsePlatformsRelease(std::string_view name);

// What the runtime knows of its own machine (ARCH-07): Go's runtime.GOOS/GOARCH and the ARM CPU
// variant. Parse() fills a one-component specifier from it; Normalize() an empty OS.
struct HostPlatform {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string cpu_variant;  // ARM only, from /proc/cpuinfo ("v7", "v8"); "" elsewhere
};

struct PlatformOptions {
  PlatformsRelease release = kDefaultPlatformsRelease;
  HostPlatform host;
};

// ARCH-03: containerd's platforms.Parse. The result is partly normalised as upstream's is
// ("linux/arm" keeps no variant, "linux/arm64/v8" keeps v8). kInvalidArgument with upstream's
// message, e.g. `"linux/*": wildcards not yet supported: invalid argument`.
[[nodiscard]] Result<Platform> ParsePlatform(std::string_view specifier,
                                             const PlatformOptions& options = {});

// ARCH-02: containerd's platforms.Normalize (OS lower-cased, macos -> darwin, empty -> host OS;
// architecture aliases and default variants; see the table in the spec).
[[nodiscard]] Platform NormalizePlatform(Platform platform, const PlatformOptions& options = {});

// containerd's platforms.Format: path.Join(os, architecture, variant), or "unknown" without OS.
[[nodiscard]] std::string FormatPlatform(const Platform& platform);

// Splits "os/arch[/variant]" into fields with no validation or normalisation, as an index entry
// carries them (test vectors, fixtures). Fewer than two or more than three parts:
// kInvalidArgument.
[[nodiscard]] Result<Platform> SplitPlatform(std::string_view text);

}  // namespace pullsim::oci
