#include "sim/node/kubelet_config.h"

#include "sim/credentials/aggregate_error.h"

namespace pullsim::node {

void ApplyKubeletConfigDefaults(KubeletConfig& config, bool ensure_secret_pulled_images) {
  if (!config.root_dir) config.root_dir = std::string(kDefaultRootDir);
  if (!config.registry_pull_qps) config.registry_pull_qps = kDefaultRegistryPullQPS;
  if (!config.registry_burst) config.registry_burst = kDefaultRegistryBurst;
  if (!config.serialize_image_pulls) {
    // KUB-11: setting maxParallelImagePulls >= 2 alone is enough to get parallel pulls.
    const bool parallel_requested =
        config.max_parallel_image_pulls && *config.max_parallel_image_pulls >= 2;
    config.serialize_image_pulls = !parallel_requested;
  }
  if (ensure_secret_pulled_images && !config.image_pull_credentials_verification_policy) {
    config.image_pull_credentials_verification_policy =
        std::string(VerificationPolicyName(VerificationPolicy::kNeverVerifyPreloadedImages));
  }
}

std::vector<std::string> ValidateKubeletConfig(const KubeletConfig& config,
                                               bool ensure_secret_pulled_images) {
  std::vector<std::string> errors;
  // KUB-11, in ValidateKubeletConfiguration's order.
  if (config.registry_burst && *config.registry_burst < 0) {
    errors.push_back(RegistryBurstNegativeMessage(*config.registry_burst));
  }
  if (config.registry_pull_qps && *config.registry_pull_qps < 0) {
    errors.push_back(RegistryPullQPSNegativeMessage(*config.registry_pull_qps));
  }
  if (config.max_parallel_image_pulls && *config.max_parallel_image_pulls < 1) {
    errors.push_back(MaxParallelImagePullsNotPositiveMessage(*config.max_parallel_image_pulls));
  }
  if (config.serialize_image_pulls.value_or(true) && config.max_parallel_image_pulls &&
      *config.max_parallel_image_pulls > 1) {
    errors.push_back(MaxParallelImagePullsNeedsParallelMessage());
  }
  // KEP2535-02.
  const std::string policy = config.image_pull_credentials_verification_policy.value_or("");
  const auto& allowlist = config.preloaded_images_verification_allowlist;
  if (ensure_secret_pulled_images) {
    if (!ParseVerificationPolicy(policy)) {
      errors.push_back(UnknownVerificationPolicyMessage(policy));
    }
    if (!allowlist.empty() &&
        policy != VerificationPolicyName(VerificationPolicy::kNeverVerifyAllowlistedImages)) {
      errors.push_back(AllowlistNeedsAllowlistPolicyMessage());
    } else {
      for (const std::string& pattern : allowlist) {
        Result<AllowlistPattern> parsed = ParseAllowlistPattern(pattern);
        if (!parsed) {
          errors.push_back(InvalidAllowlistPatternMessage(parsed.error().message));
          break;  // upstream reports the first bad pattern only
        }
      }
    }
  } else {
    if (!policy.empty()) errors.push_back(VerificationPolicyWithoutGateMessage());
    if (!allowlist.empty()) errors.push_back(AllowlistWithoutGateMessage());
  }
  return errors;
}

bool EnsureSecretPulledImagesEnabled(KubeletVersion version, std::optional<bool> requested) {
  if (!version.has_ensure_secret_pulled_images_gate()) return false;
  return requested.value_or(version.ensure_secret_pulled_images_default());
}

Result<KubeletSettings> ResolveKubeletSettings(KubeletConfig config, KubeletVersion version,
                                               std::optional<bool> ensure_secret_pulled_images) {
  const bool gate = EnsureSecretPulledImagesEnabled(version, ensure_secret_pulled_images);
  ApplyKubeletConfigDefaults(config, gate);
  std::vector<std::string> errors = ValidateKubeletConfig(config, gate);
  if (!errors.empty()) {
    return Fail(ErrorCode::kInvalidArgument, credentials::AggregateErrorText(errors));
  }
  KubeletSettings settings;
  settings.version = version;
  settings.ensure_secret_pulled_images = gate;
  settings.root_dir = *config.root_dir;
  settings.serialize_image_pulls = *config.serialize_image_pulls;
  settings.max_parallel_image_pulls = config.max_parallel_image_pulls;
  settings.registry_pull_qps = *config.registry_pull_qps;
  settings.registry_burst = *config.registry_burst;
  if (gate) {
    // Validated above, so the name parses.
    settings.verification_policy =
        *ParseVerificationPolicy(*config.image_pull_credentials_verification_policy);
  } else {
    settings.verification_policy = VerificationPolicy::kNeverVerify;
  }
  settings.preloaded_images_verification_allowlist =
      std::move(config.preloaded_images_verification_allowlist);
  return settings;
}

}  // namespace pullsim::node
