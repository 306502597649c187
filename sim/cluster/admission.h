#pragma once
// Admission: the plugins the API server runs on a write after decoding and defaulting, mutating
// half first (in plugin order), then the object's validation, then the validating half
// (k8s.io/apiserver admission.Interface). Each mutation is recorded as a Change (ADM-01..07).

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/api_errors.h"
#include "sim/cluster/change.h"
#include "sim/cluster/objects.h"

namespace pullsim::cluster {

enum class Operation { kCreate, kUpdate };

// admission.Attributes of one request.
struct AdmissionRequest {
  Operation operation = Operation::kCreate;
  std::string resource;     // group-qualified: "pods", "deployments.apps"
  std::string subresource;  // "", "ephemeralcontainers", "status", ...
  std::string namespace_name;
  Object* object = nullptr;            // the incoming object; mutating plugins change it
  const Object* old_object = nullptr;  // the stored object on UPDATE

  // The object as a Pod, or nullptr.
  [[nodiscard]] Pod* pod() const { return object ? std::get_if<Pod>(object) : nullptr; }
  [[nodiscard]] const Pod* old_pod() const {
    return old_object ? std::get_if<Pod>(old_object) : nullptr;
  }
  // The name admission errors use (apiserver extractResourceName): metadata.name, else
  // metadata.generateName, else "Unknown".
  [[nodiscard]] std::string ResourceName() const;
};

// A request for `object` (resource from ResourceOf, namespace from its metadata).
[[nodiscard]] AdmissionRequest MakeRequest(Operation operation, Object& object,
                                           const Object* old_object = nullptr,
                                           std::string subresource = {});

using AdmissionResult = std::expected<void, ApiStatus>;

// `<resource> "<name>" is forbidden: <reason>` for this request (admission.NewForbidden).
[[nodiscard]] ApiStatus ForbiddenFor(const AdmissionRequest& request, std::string_view reason);

class AdmissionPlugin {
 public:
  virtual ~AdmissionPlugin() = default;
  [[nodiscard]] virtual std::string_view Name() const = 0;
  // Mutating half: may change request.object, appending a Change for each field it sets.
  [[nodiscard]] virtual AdmissionResult Admit(AdmissionRequest& request,
                                              std::vector<Change>& changes) const;
  // Validating half, on the final object.
  [[nodiscard]] virtual AdmissionResult Validate(const AdmissionRequest& request) const;
};

}  // namespace pullsim::cluster
