#include "sim/node/kubelet_version.h"

#include <charconv>

#include "sim/node/kubelet_constants.h"

namespace pullsim::node {
namespace {

// Reads a decimal number at the front of `text`, consuming it; false when there is none.
bool TakeNumber(std::string_view& text, int& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr == text.data()) return false;
  text.remove_prefix(static_cast<std::size_t>(ptr - text.data()));
  return true;
}

}  // namespace

Result<KubeletVersion> KubeletVersion::Parse(std::string_view text) {
  std::string_view rest = text;
  if (!rest.empty() && rest.front() == 'v') rest.remove_prefix(1);
  KubeletVersion version;
  int patch = 0;
  bool ok = TakeNumber(rest, version.major) && !rest.empty() && rest.front() == '.';
  if (ok) {
    rest.remove_prefix(1);
    ok = TakeNumber(rest, version.minor);
  }
  if (ok && !rest.empty()) {
    ok = rest.front() == '.';
    rest.remove_prefix(1);
    ok = ok && TakeNumber(rest, patch) && rest.empty();
  }
  if (!ok || version.major < 0 || version.minor < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "kubelet version " + GoQuote(text) + ": expected MAJOR.MINOR such as \"1.35\"");
  }
  return version;
}

std::string KubeletVersion::String() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string_view KubeletVersion::pull_record_api_version() const {
  return AtLeast(35) ? kKubeletConfigV1beta1 : kKubeletConfigV1alpha1;
}

}  // namespace pullsim::node
