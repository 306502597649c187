#pragma once
// imagePullPolicy values and the API server's defaulting rule (POL-01, POL-03).

#include <optional>
#include <string_view>

namespace pullsim::reference {

enum class PullPolicy { kAlways, kIfNotPresent, kNever };

// "Always", "IfNotPresent", "Never".
[[nodiscard]] std::string_view PullPolicyName(PullPolicy policy);

// Exact, case-sensitive (POL-03): "always" is not a policy.
[[nodiscard]] std::optional<PullPolicy> ParsePullPolicy(std::string_view text);

// POL-01: what defaulting assigns to a container with `image` and no policy: Always when the tag
// from ParseImageName is exactly "latest" (including the implied one), else IfNotPresent; an
// unparsable image counts as having no tag.
[[nodiscard]] PullPolicy DefaultPullPolicy(std::string_view image);

}  // namespace pullsim::reference
