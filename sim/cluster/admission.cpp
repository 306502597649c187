#include "sim/cluster/admission.h"

namespace pullsim::cluster {

std::string AdmissionRequest::ResourceName() const {
  if (object == nullptr) return "Unknown";
  const ObjectMeta& meta = MetaOf(*object);
  if (!meta.name.empty()) return meta.name;
  if (!meta.generate_name.empty()) return meta.generate_name;
  return "Unknown";
}

AdmissionRequest MakeRequest(Operation operation, Object& object, const Object* old_object,
                             std::string subresource) {
  AdmissionRequest request;
  request.operation = operation;
  request.resource = ResourceOf(object);
  request.subresource = std::move(subresource);
  request.namespace_name = MetaOf(object).namespace_name;
  request.object = &object;
  request.old_object = old_object;
  return request;
}

ApiStatus ForbiddenFor(const AdmissionRequest& request, std::string_view reason) {
  return ForbiddenStatus(request.resource, request.ResourceName(), reason);
}

AdmissionResult AdmissionPlugin::Admit(AdmissionRequest&, std::vector<Change>&) const { return {}; }

AdmissionResult AdmissionPlugin::Validate(const AdmissionRequest&) const { return {}; }

}  // namespace pullsim::cluster
