#pragma once
// The parts of Go's net/url, net and path/filepath that decide which registry key matches which
// image (CRED-06, CRED-07): url.Parse, net.SplitHostPort as SplitURL uses it, and
// filepath.Match. Keys that Go rejects must be rejected here too, or a credential would be
// offered where the kubelet never offers it.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim::credentials::internal {

// The fields of a Go url.URL that the keyring reads.
struct GoUrl {
  std::string scheme;  // lower-cased
  std::string host;    // unescaped host[:port], as url.URL.Host
  std::string path;    // unescaped path, as url.URL.Path
};

// url.Parse. kInvalidArgument with Go's text: parse "https://x:y": invalid port ":y" after host
[[nodiscard]] Result<GoUrl> ParseGoUrl(std::string_view raw);

// SplitURL of keyring.go: net.SplitHostPort(url.Host), falling back to (host, "") when that
// fails, as upstream does.
struct HostAndPort {
  std::string host;
  std::string port;
};
[[nodiscard]] HostAndPort SplitUrlHost(std::string_view host);

// filepath.Match on Unix: shell globbing of one name. Sets *bad_pattern (when given) and
// returns false for a malformed pattern.
[[nodiscard]] bool GlobMatch(std::string_view pattern, std::string_view name,
                             bool* bad_pattern = nullptr);

// True when `text` has a character filepath.Match treats specially (* ? [ \).
[[nodiscard]] bool HasGlobMeta(std::string_view text);

// filepath.Clean.
[[nodiscard]] std::string CleanPath(std::string_view path);

// filepath.Abs(filepath.Join(dir, name)) with `cwd` as the process working directory.
[[nodiscard]] std::string AbsoluteJoin(std::string_view cwd, std::string_view dir,
                                       std::string_view name);

}  // namespace pullsim::credentials::internal
