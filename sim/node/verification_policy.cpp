#include "sim/node/verification_policy.h"

#include <algorithm>

#include "sim/core/unicode.h"
#include "sim/node/kubelet_constants.h"
#include "sim/reference/reference.h"

namespace pullsim::node {
namespace {

Result<AllowlistPattern> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::string_view VerificationPolicyName(VerificationPolicy policy) {
  switch (policy) {
    case VerificationPolicy::kNeverVerify:
      return "NeverVerify";
    case VerificationPolicy::kNeverVerifyPreloadedImages:
      return "NeverVerifyPreloadedImages";
    case VerificationPolicy::kNeverVerifyAllowlistedImages:
      return "NeverVerifyAllowlistedImages";
    case VerificationPolicy::kAlwaysVerify:
      return "AlwaysVerify";
  }
  return "NeverVerifyPreloadedImages";  // unreachable: every enumerator is handled above
}

std::optional<VerificationPolicy> ParseVerificationPolicy(std::string_view text) {
  for (VerificationPolicy policy :
       {VerificationPolicy::kNeverVerify, VerificationPolicy::kNeverVerifyPreloadedImages,
        VerificationPolicy::kNeverVerifyAllowlistedImages, VerificationPolicy::kAlwaysVerify}) {
    if (VerificationPolicyName(policy) == text) return policy;
  }
  return std::nullopt;
}

// KEP2535-08 (getAllowlistImagePattern), checks in upstream's order.
Result<AllowlistPattern> ParseAllowlistPattern(std::string_view pattern) {
  // Upstream rejects a pattern that strings.TrimSpace changes (Unicode white space included).
  if (TrimSpace(pattern).size() != pattern.size()) {
    return Invalid(PatternSpacesMessage(pattern));
  }
  AllowlistPattern result{std::string(pattern), false};
  if (pattern.ends_with("/*")) {
    result.is_prefix = true;
    result.value.pop_back();  // drop the '*', keep the '/'
  }
  if (result.value.empty()) return Invalid(PatternTooShortMessage(pattern));
  if (result.value.find('*') != std::string::npos) {
    return Invalid(PatternBadWildcardMessage(pattern));
  }
  if (result.is_prefix) {
    if (result.value.size() == 1) return Invalid(PatternNoHostnameMessage());
    return result;
  }
  Result<reference::Reference> named = reference::ParseNormalizedNamed(result.value);
  if (!named) return Invalid(PatternUnparsableMessage(named.error().message));
  if (named->Name() != result.value) return Invalid(PatternNotBareNameMessage(pattern));
  return result;
}

Result<CredentialVerificationPolicy> CredentialVerificationPolicy::Create(
    VerificationPolicy policy, std::span<const std::string> allowlist, KubeletVersion version) {
  std::vector<AllowlistPattern> patterns;
  if (policy == VerificationPolicy::kNeverVerifyAllowlistedImages) {
    for (const std::string& text : allowlist) {
      Result<AllowlistPattern> pattern = ParseAllowlistPattern(text);
      if (!pattern) return std::unexpected(pattern.error());
      patterns.push_back(*std::move(pattern));
    }
  }
  return CredentialVerificationPolicy(policy, std::move(patterns), version);
}

bool CredentialVerificationPolicy::MatchesAllowlist(std::string_view image) const {
  std::string subject(image);
  if (version_.allowlist_matches_image_name()) {
    Result<reference::Reference> named = reference::ParseNormalizedNamed(image);
    if (!named) return false;
    subject = named->Name();
  }
  return std::any_of(allowlist_.begin(), allowlist_.end(), [&](const AllowlistPattern& pattern) {
    return pattern.is_prefix ? subject.starts_with(pattern.value) : subject == pattern.value;
  });
}

// KEP2535-03.
bool CredentialVerificationPolicy::RequiresCredentialVerification(std::string_view image,
                                                                  bool pulled_by_kubelet) const {
  switch (policy_) {
    case VerificationPolicy::kNeverVerify:
      return false;
    case VerificationPolicy::kNeverVerifyPreloadedImages:
      return pulled_by_kubelet;
    case VerificationPolicy::kNeverVerifyAllowlistedImages:
      // Upstream ignores who pulled the image here; only the allowlist decides (spec §8).
      return !MatchesAllowlist(image);
    case VerificationPolicy::kAlwaysVerify:
      return true;
  }
  return true;  // unreachable: every enumerator is handled above
}

}  // namespace pullsim::node
