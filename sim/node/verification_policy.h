#pragma once
// KEP-2535 credential verification policies (KEP2535-03) and the allowlist of
// NeverVerifyAllowlistedImages (KEP2535-08): does an image already on the node need the pod's
// credentials checked before the pod may use it?

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/node/kubelet_version.h"

namespace pullsim::node {

// imagePullCredentialsVerificationPolicy values, spelled as in the kubelet configuration.
enum class VerificationPolicy {
  kNeverVerify,
  kNeverVerifyPreloadedImages,
  kNeverVerifyAllowlistedImages,
  kAlwaysVerify,
};

// "NeverVerify", "NeverVerifyPreloadedImages", "NeverVerifyAllowlistedImages", "AlwaysVerify".
[[nodiscard]] std::string_view VerificationPolicyName(VerificationPolicy policy);
// Exact and case-sensitive ("alwaysverify" and the docs' "NeverVerifyAllowListedImages" are not
// policies).
[[nodiscard]] std::optional<VerificationPolicy> ParseVerificationPolicy(std::string_view text);

// One entry of preloadedImagesVerificationAllowlist: an exact repository name, or a prefix when
// written with a trailing "/*" (the '*' dropped, the '/' kept).
struct AllowlistPattern {
  std::string value;
  bool is_prefix = false;
  friend bool operator==(const AllowlistPattern&, const AllowlistPattern&) = default;
};

// KEP2535-08: validates one pattern; kInvalidArgument carrying upstream's exact message
// ("leading/trailing spaces are not allowed: …", "neither tag nor digest is accepted …", …).
// Familiar names such as "pause" are rejected: the pattern must equal its normalised name.
[[nodiscard]] Result<AllowlistPattern> ParseAllowlistPattern(std::string_view pattern);

// A policy with its allowlist, ready to answer RequireCredentialVerificationForImage.
class CredentialVerificationPolicy {
 public:
  // kInvalidArgument with the first bad pattern's message (only checked for the allowlist
  // policy, as upstream builds the allowlist only then).
  [[nodiscard]] static Result<CredentialVerificationPolicy> Create(
      VerificationPolicy policy, std::span<const std::string> allowlist = {},
      KubeletVersion version = kBaselineKubeletVersion);

  // KEP2535-03. `image` is the container's image as written; `pulled_by_kubelet` says a pulled
  // record or a pull intent exists for it.
  [[nodiscard]] bool RequiresCredentialVerification(std::string_view image,
                                                    bool pulled_by_kubelet) const;
  // KEP2535-08: v1.35 compares the raw image string (exact entries by equality, prefixes by
  // string prefix); v1.36 first reduces the image to its normalised name without tag/digest
  // (an unparsable image then matches nothing).
  [[nodiscard]] bool MatchesAllowlist(std::string_view image) const;

  [[nodiscard]] VerificationPolicy policy() const { return policy_; }
  [[nodiscard]] const std::vector<AllowlistPattern>& allowlist() const { return allowlist_; }

 private:
  CredentialVerificationPolicy(VerificationPolicy policy, std::vector<AllowlistPattern> allowlist,
                               KubeletVersion version)
      : policy_(policy), allowlist_(std::move(allowlist)), version_(version) {}

  VerificationPolicy policy_;
  std::vector<AllowlistPattern> allowlist_;
  KubeletVersion version_;
};

}  // namespace pullsim::node
