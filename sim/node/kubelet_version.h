#pragma once
// Which kubelet release is simulated, and what changed between releases (spec §7). The baseline
// is v1.35; every behaviour that differs by version asks one of these questions.

#include <compare>
#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim::node {

struct KubeletVersion {
  int major = 1;
  int minor = 35;

  // "1.35", "v1.35" or "1.35.2" (the patch is ignored). kInvalidArgument naming the input.
  [[nodiscard]] static Result<KubeletVersion> Parse(std::string_view text);
  // "1.35"
  [[nodiscard]] std::string String() const;

  friend auto operator<=>(const KubeletVersion&, const KubeletVersion&) = default;

  // KEP2535-01: the KubeletEnsureSecretPulledImages gate exists (alpha v1.33)…
  [[nodiscard]] bool has_ensure_secret_pulled_images_gate() const { return AtLeast(33); }
  // …and is on by default (beta v1.35).
  [[nodiscard]] bool ensure_secret_pulled_images_default() const { return AtLeast(35); }
  // KUB-07: v1.32+ appends the last failure to the back-off message.
  [[nodiscard]] bool appends_previous_pull_error() const { return AtLeast(32); }
  // KUB-14: v1.33+ looks credentials up before pulling and returns their error as is; earlier
  // releases built the keyring inside the runtime manager, so the error was a failed pull.
  [[nodiscard]] bool looks_up_credentials_before_pull() const { return AtLeast(33); }
  // KUB-06: evalCRIPullErr classifies by prefix (about v1.30; spec §7 marks it approximate);
  // earlier releases compared against a sentinel that a runtime's text never equals.
  [[nodiscard]] bool classifies_pull_errors_by_prefix() const { return AtLeast(30); }
  // KUB-03: "(… including waiting)" (about v1.27) and "Image size: N bytes." (about v1.30) in
  // the success message (spec §7 marks both approximate).
  [[nodiscard]] bool reports_pull_waiting_time() const { return AtLeast(27); }
  [[nodiscard]] bool reports_image_size() const { return AtLeast(30); }
  // KEP2535-08: v1.36 (PR #137629) matches the allowlist against the pod image's normalised
  // name without tag or digest; v1.35 compares the raw image string.
  [[nodiscard]] bool allowlist_matches_image_name() const { return AtLeast(36); }
  // KEP2535-06: v1.35 writes kubelet.config.k8s.io/v1beta1, v1.33–v1.34 wrote v1alpha1.
  [[nodiscard]] std::string_view pull_record_api_version() const;

 private:
  [[nodiscard]] bool AtLeast(int minor_version) const {
    return major > 1 || (major == 1 && minor >= minor_version);
  }
};

// The release the spec describes.
inline constexpr KubeletVersion kBaselineKubeletVersion{1, 35};

}  // namespace pullsim::node
