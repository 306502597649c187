#pragma once
// The parts of Go's net/url and net that decide which registry key matches which image
// (CRED-06, CRED-07): url.Parse and net.SplitHostPort as SplitURL uses it. Keys that Go rejects
// must be rejected here too, or a credential would be offered where the kubelet never offers it.

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

}  // namespace pullsim::credentials::internal
