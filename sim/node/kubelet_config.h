#pragma once
// The kubelet settings that shape image pulls (KUB-11, KEP2535-02): KubeletConfiguration fields
// as a user writes them (unset = nullopt), upstream's defaulting and validation with their exact
// messages, and the resolved settings the image manager runs with.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/kubelet_version.h"
#include "sim/node/verification_policy.h"

namespace pullsim::node {

// KubeletConfiguration (v1beta1) fields, as written; unset fields are defaulted by
// ApplyKubeletConfigDefaults.
struct KubeletConfig {
  std::optional<std::string> root_dir;  // --root-dir, a flag rather than a config field
  std::optional<bool> serialize_image_pulls;
  std::optional<std::int32_t> max_parallel_image_pulls;
  std::optional<std::int32_t> registry_pull_qps;
  std::optional<std::int32_t> registry_burst;
  std::optional<std::string> image_pull_credentials_verification_policy;
  std::vector<std::string> preloaded_images_verification_allowlist;
};

// KUB-11 / KEP2535-02 defaults (SetDefaults_KubeletConfiguration): QPS 5, burst 10, serial
// pulls unless maxParallelImagePulls >= 2 is set, policy NeverVerifyPreloadedImages when the
// KubeletEnsureSecretPulledImages gate is on (left unset when off).
void ApplyKubeletConfigDefaults(KubeletConfig& config, bool ensure_secret_pulled_images);

// KUB-11 / KEP2535-02 validation (ValidateKubeletConfiguration): every error, in upstream's
// order, word for word. Call on a defaulted config, as the kubelet does.
[[nodiscard]] std::vector<std::string> ValidateKubeletConfig(const KubeletConfig& config,
                                                             bool ensure_secret_pulled_images);

// What the image manager runs with: a defaulted, validated configuration.
struct KubeletSettings {
  KubeletVersion version = kBaselineKubeletVersion;
  // KEP2535-01: the effective state of KubeletEnsureSecretPulledImages.
  bool ensure_secret_pulled_images = true;
  std::string root_dir = std::string(kDefaultRootDir);
  bool serialize_image_pulls = true;
  std::optional<std::int32_t> max_parallel_image_pulls;  // nullopt = unlimited
  std::int32_t registry_pull_qps = kDefaultRegistryPullQPS;
  std::int32_t registry_burst = kDefaultRegistryBurst;
  VerificationPolicy verification_policy = VerificationPolicy::kNeverVerifyPreloadedImages;
  std::vector<std::string> preloaded_images_verification_allowlist;
  // KUB-08: the shared image back-off; tests may shorten it (upstream's unit tests use 1 s/60 s).
  Duration image_backoff_initial = kImageBackOffInitial;
  Duration image_backoff_max = kImageBackOffMax;
};

// KEP2535-01: the gate's state for `version`: `requested` when given, else the release default
// (off before v1.35); always off before v1.33, where the gate does not exist.
[[nodiscard]] bool EnsureSecretPulledImagesEnabled(KubeletVersion version,
                                                   std::optional<bool> requested = std::nullopt);

// Defaults and validates `config` for `version` with the gate as given (or its default), and
// returns the settings. kInvalidArgument carries every validation error, aggregated as upstream
// prints them ("[a, b]" for several).
[[nodiscard]] Result<KubeletSettings> ResolveKubeletSettings(
    KubeletConfig config, KubeletVersion version = kBaselineKubeletVersion,
    std::optional<bool> ensure_secret_pulled_images = std::nullopt);

}  // namespace pullsim::node
