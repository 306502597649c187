#pragma once
// The AlwaysPullImages admission plugin (plugin/pkg/admission/alwayspullimages): forces
// imagePullPolicy Always on every container of created and updated pods (ADM-01), ignoring
// subresources, other resources and updates that bring no new image (ADM-02, ADM-03), and refuses
// a final pod whose containers are not Always (ADM-04).

#include "sim/cluster/admission.h"

namespace pullsim::cluster {

class AlwaysPullImages final : public AdmissionPlugin {
 public:
  [[nodiscard]] std::string_view Name() const override { return kAlwaysPullImagesPlugin; }

  // ADM-01: sets Always on init, regular and ephemeral containers (VisitContainersWithPath
  // order); 400 `Resource was marked with kind Pod but was unable to be converted` when the pods
  // resource carries another object.
  [[nodiscard]] AdmissionResult Admit(AdmissionRequest& request,
                                      std::vector<Change>& changes) const override;
  // ADM-04: 403 `pods "<name>" is forbidden: <path>.imagePullPolicy: Unsupported value: "<v>":
  // supported values: "Always"` per container, aggregated.
  [[nodiscard]] AdmissionResult Validate(const AdmissionRequest& request) const override;

  // ADM-02/03: true when the plugin leaves the request alone: a subresource, a resource other
  // than pods, or an UPDATE whose every image already appeared in the old pod.
  [[nodiscard]] static bool Ignores(const AdmissionRequest& request);
};

}  // namespace pullsim::cluster
