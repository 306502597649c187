#pragma once
// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount), its image-related
// part: on pod CREATE it names the `default` account when none is given, requires the account to
// exist and copies its imagePullSecrets into a pod that lists none (ADM-05); with enforced
// mountable secrets a pod may reference only the account's secrets (ADM-06); mirror pods are
// never mutated and may reference neither an account nor a secret (ADM-07). Token volume
// mounting is not simulated (not image related).

#include <string_view>

#include "sim/cluster/admission.h"

namespace pullsim::cluster {

// Where the plugin looks service accounts up (the cluster's store).
class ServiceAccountLister {
 public:
  virtual ~ServiceAccountLister() = default;
  // The account, or nullptr when `namespace_name` has none by that name.
  [[nodiscard]] virtual const ServiceAccount* FindServiceAccount(std::string_view namespace_name,
                                                                 std::string_view name) const = 0;
};

inline constexpr std::string_view kDefaultServiceAccountName = "default";
inline constexpr std::string_view kEnforceMountableSecretsAnnotation =
    "kubernetes.io/enforce-mountable-secrets";
inline constexpr std::string_view kMirrorPodAnnotation = "kubernetes.io/config.mirror";

class ServiceAccountAdmission final : public AdmissionPlugin {
 public:
  // `lister` must outlive the plugin. `limit_secret_references` is the plugin option
  // LimitSecretReferences (off upstream); when off, the account annotation
  // kubernetes.io/enforce-mountable-secrets: "true" turns enforcement on for that account.
  explicit ServiceAccountAdmission(const ServiceAccountLister& lister,
                                   bool limit_secret_references = false)
      : lister_(&lister), limit_secret_references_(limit_secret_references) {}

  [[nodiscard]] std::string_view Name() const override { return kServiceAccountPlugin; }
  [[nodiscard]] AdmissionResult Admit(AdmissionRequest& request,
                                      std::vector<Change>& changes) const override;
  [[nodiscard]] AdmissionResult Validate(const AdmissionRequest& request) const override;

  // ADM-06: whether `account`'s references are enforced (option on, or the annotation parses as
  // true with Go's strconv.ParseBool).
  [[nodiscard]] bool EnforcesMountableSecrets(const ServiceAccount& account) const;

 private:
  // The account the pod names, or the 403 `error looking up service account <ns>/<sa>: ...`.
  [[nodiscard]] std::expected<const ServiceAccount*, ApiStatus> Lookup(
      const AdmissionRequest& request, const Pod& pod) const;

  const ServiceAccountLister* lister_;
  bool limit_secret_references_;
};

}  // namespace pullsim::cluster
