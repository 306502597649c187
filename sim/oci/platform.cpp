#include "sim/oci/platform.h"

#include <algorithm>
#include <array>
#include <utility>

#include "sim/core/go_quote.h"

namespace pullsim::oci {
namespace {

constexpr std::string_view kInvalidArgument = ": invalid argument";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsWordChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// specifierRe: ^[A-Za-z0-9_-]+$ (v0.2.1) or ^[A-Za-z0-9_.-]+$ (v1.0.0-rc.1).
bool MatchesSpecifier(std::string_view part, PlatformsRelease release) {
  if (part.empty()) return false;
  return std::all_of(part.begin(), part.end(), [release](char c) {
    return IsWordChar(c) || (c == '.' && release == PlatformsRelease::kV1_0_0_rc1);
  });
}

std::string_view SpecifierPattern(PlatformsRelease release) {
  return release == PlatformsRelease::kV0_2_1 ? "^[A-Za-z0-9_-]+$" : "^[A-Za-z0-9_.-]+$";
}

// osAndVersionRe: ^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$ -> {os, os version}.
bool MatchOsAndVersion(std::string_view part, std::string* os, std::string* version) {
  std::size_t i = 0;
  while (i < part.size() && IsWordChar(part[i])) ++i;
  if (i == 0) return false;
  *os = std::string(part.substr(0, i));
  version->clear();
  if (i == part.size()) return true;
  if (part[i] != '(' || part.back() != ')' || part.size() < i + 2) return false;
  const std::string_view inner = part.substr(i + 1, part.size() - i - 2);
  for (char c : inner) {
    if (!IsWordChar(c) && c != '.') return false;
  }
  *version = std::string(inner);
  return true;
}

// Go's regexp.String() of osAndVersionRe, as %q prints it.
constexpr std::string_view kOsAndVersionPatternQuoted =
    R"("^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?$")";

// database.go isKnownOS: Go's list of GOOS values.
bool IsKnownOs(std::string_view os) {
  static constexpr std::array<std::string_view, 17> kKnown = {
      "aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",    "illumos", "ios", "js",
      "linux", "nacl",    "netbsd", "openbsd",   "plan9",   "solaris", "windows", "zos"};
  return std::find(kKnown.begin(), kKnown.end(), os) != kKnown.end();
}

// database.go isKnownArch: Go's list of GOARCH values.
bool IsKnownArch(std::string_view arch) {
  static constexpr std::array<std::string_view, 24> kKnown = {
      "386",     "amd64",   "amd64p32", "arm",    "armbe",  "arm64",    "arm64be",   "ppc64",
      "ppc64le", "loong64", "mips",     "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
      "ppc",     "riscv",   "riscv64",  "s390",   "s390x",  "sparc",    "sparc64",   "wasm"};
  return std::find(kKnown.begin(), kKnown.end(), arch) != kKnown.end();
}

std::string NormalizeOs(std::string_view os, const HostPlatform& host) {
  if (os.empty()) return host.os;
  std::string lower = Lower(os);
  if (lower == "macos") return "darwin";
  return lower;
}

// ARCH-02: database.go normalizeArch.
std::pair<std::string, std::string> NormalizeArch(std::string_view arch_in,
                                                  std::string_view variant_in,
                                                  PlatformsRelease release) {
  std::string arch = Lower(arch_in);
  std::string variant = Lower(variant_in);
  if (arch == "i386") {
    arch = "386";
    variant.clear();
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (variant == "v1") variant.clear();
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (variant == "8" || variant == "v8") {
      variant.clear();
    } else if (release == PlatformsRelease::kV1_0_0_rc1) {
      // rc.1 also folds the ".0" spellings of v8 and v9.
      if (variant == "v8.0") {
        variant.clear();
      } else if (variant == "9" || variant == "9.0" || variant == "v9.0") {
        variant = "v9";
      }
    }
  } else if (arch == "armhf") {
    arch = "arm";
    variant = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    variant = "v6";
  } else if (arch == "arm") {
    if (variant.empty() || variant == "7") {
      variant = "v7";
    } else if (variant == "5" || variant == "6" || variant == "8") {
      variant = "v" + variant;
    }
  }
  return {std::move(arch), std::move(variant)};
}

Error InvalidArgument(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message) + std::string(kInvalidArgument), ""};
}

// Go's path.Join of non-empty, slash-free elements, with path.Clean's "." and ".." handling.
std::string JoinClean(const std::vector<std::string_view>& elements) {
  std::vector<std::string_view> out;
  for (std::string_view element : elements) {
    std::size_t start = 0;
    while (start <= element.size()) {
      std::size_t slash = element.find('/', start);
      if (slash == std::string_view::npos) slash = element.size();
      const std::string_view piece = element.substr(start, slash - start);
      start = slash + 1;
      if (piece.empty() || piece == ".") continue;
      if (piece == "..") {
        if (!out.empty() && out.back() != "..") {
          out.pop_back();
        } else {
          out.push_back(piece);
        }
        continue;
      }
      out.push_back(piece);
    }
  }
  if (out.empty()) return ".";
  std::string joined;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) joined += '/';
    joined.append(out[i]);
  }
  return joined;
}

}  // namespace

std::string_view PlatformsReleaseName(PlatformsRelease release) {
  return release == PlatformsRelease::kV0_2_1 ? "v0.2.1" : "v1.0.0-rc.1";
}

Result<PlatformsRelease> ParsePlatformsRelease(std::string_view name) {
  if (name == "v0.2.1") return PlatformsRelease::kV0_2_1;
  if (name == "v1.0.0-rc.1") return PlatformsRelease::kV1_0_0_rc1;
  return Fail(ErrorCode::kInvalidArgument, "unknown containerd/platforms release " + GoQuote(name) +
                                               " (expected v0.2.1 or v1.0.0-rc.1)");
}

Result<Platform> ParsePlatform(std::string_view specifier, const PlatformOptions& options) {
  const std::string quoted = GoQuote(specifier);
  if (specifier.find('*') != std::string_view::npos) {
    return std::unexpected(InvalidArgument(quoted + ": wildcards not yet supported"));
  }
  // strings.SplitN(specifier, "/", 4): the fourth part keeps any further slashes.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() < 3) {
    const std::size_t slash = specifier.find('/', start);
    if (slash == std::string_view::npos) break;
    parts.push_back(specifier.substr(start, slash - start));
    start = slash + 1;
  }
  parts.push_back(specifier.substr(start));

  Platform platform;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i == 0) {
      std::string os;
      std::string version;
      if (!MatchOsAndVersion(parts[0], &os, &version)) {
        return std::unexpected(InvalidArgument(GoQuote(parts[0]) +
                                               " is an invalid OS component of " + quoted +
                                               ": OSAndVersion specifier component must match " +
                                               std::string(kOsAndVersionPatternQuoted)));
      }
      platform.os = NormalizeOs(os, options.host);
      platform.os_version = std::move(version);
    } else if (!MatchesSpecifier(parts[i], options.release)) {
      return std::unexpected(InvalidArgument(GoQuote(parts[i]) + " is an invalid component of " +
                                             quoted + ": platform specifier component must match " +
                                             GoQuote(SpecifierPattern(options.release))));
    }
  }

  switch (parts.size()) {
    case 1: {
      // A lone component is an OS if it names one (architecture from the host), else an
      // architecture (OS from the host).
      if (IsKnownOs(platform.os)) {
        platform.architecture = options.host.architecture;
        if (platform.architecture == "arm" && options.host.cpu_variant != "v7") {
          platform.variant = options.host.cpu_variant;
        }
        return platform;
      }
      auto [arch, variant] = NormalizeArch(parts[0], "", options.release);
      platform.architecture = std::move(arch);
      platform.variant = std::move(variant);
      if (platform.architecture == "arm" && platform.variant == "v7") platform.variant.clear();
      if (IsKnownArch(platform.architecture)) {
        platform.os = options.host.os;
        return platform;
      }
      return std::unexpected(
          InvalidArgument(quoted + ": unknown operating system or architecture"));
    }
    case 2: {
      auto [arch, variant] = NormalizeArch(parts[1], "", options.release);
      platform.architecture = std::move(arch);
      platform.variant = std::move(variant);
      if (platform.architecture == "arm" && platform.variant == "v7") platform.variant.clear();
      return platform;
    }
    case 3: {
      auto [arch, variant] = NormalizeArch(parts[1], parts[2], options.release);
      platform.architecture = std::move(arch);
      platform.variant = std::move(variant);
      if (platform.architecture == "arm64" && platform.variant.empty()) platform.variant = "v8";
      return platform;
    }
    default:
      return std::unexpected(InvalidArgument(quoted + ": cannot parse platform specifier"));
  }
}

Platform NormalizePlatform(Platform platform, const PlatformOptions& options) {
  platform.os = NormalizeOs(platform.os, options.host);
  auto [arch, variant] = NormalizeArch(platform.architecture, platform.variant, options.release);
  platform.architecture = std::move(arch);
  platform.variant = std::move(variant);
  return platform;
}

std::string FormatPlatform(const Platform& platform) {
  if (platform.os.empty()) return "unknown";
  return JoinClean({platform.os, platform.architecture, platform.variant});
}

Result<Platform> SplitPlatform(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) {
    return Fail(ErrorCode::kInvalidArgument,
                "platform " + GoQuote(text) + ": expected os/architecture[/variant]");
  }
  Platform platform;
  platform.os = std::string(parts[0]);
  platform.architecture = std::string(parts[1]);
  if (parts.size() == 3) platform.variant = std::string(parts[2]);
  return platform;
}

}  // namespace pullsim::oci
