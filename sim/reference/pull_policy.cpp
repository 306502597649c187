#include "sim/reference/pull_policy.h"

#include "sim/reference/reference.h"

namespace pullsim::reference {

std::string_view PullPolicyName(PullPolicy policy) {
  switch (policy) {
    case PullPolicy::kAlways:
      return "Always";
    case PullPolicy::kIfNotPresent:
      return "IfNotPresent";
    case PullPolicy::kNever:
      return "Never";
  }
  return "IfNotPresent";  // unreachable: every enumerator is handled above
}

// POL-03: the three names, case-sensitive.
std::optional<PullPolicy> ParsePullPolicy(std::string_view text) {
  if (text == "Always") return PullPolicy::kAlways;
  if (text == "IfNotPresent") return PullPolicy::kIfNotPresent;
  if (text == "Never") return PullPolicy::kNever;
  return std::nullopt;
}

// POL-01: SetDefaults_Container. The parse error is ignored (the tag is then empty), and only the
// exact tag "latest", written or implied, gives Always.
// ParseImageName's tag is the parsed one, or "latest" when neither tag nor digest is given; asking
// ParseNormalizedNamed directly skips building an error message that would be thrown away.
PullPolicy DefaultPullPolicy(std::string_view image) {
  const Result<Reference> named = ParseNormalizedNamed(image);
  if (!named) return PullPolicy::kIfNotPresent;
  const bool implied_latest = named->tag.empty() && named->digest.empty();
  return implied_latest || named->tag == "latest" ? PullPolicy::kAlways : PullPolicy::kIfNotPresent;
}

}  // namespace pullsim::reference
