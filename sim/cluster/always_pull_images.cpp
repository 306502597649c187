#include "sim/cluster/always_pull_images.h"

#include <set>
#include <string>

#include "sim/credentials/aggregate_error.h"

namespace pullsim::cluster {
namespace {

constexpr std::string_view kAlways = "Always";
constexpr std::string_view kNotAPod =
    "Resource was marked with kind Pod but was unable to be converted";

// ADM-03: the set of images over all container kinds of the old pod must cover the new pod's.
bool IsUpdateWithNoNewImages(const AdmissionRequest& request) {
  if (request.operation != Operation::kUpdate) return false;
  const Pod* pod = request.pod();
  const Pod* old_pod = request.old_pod();
  if (pod == nullptr || old_pod == nullptr) return false;
  std::set<std::string, std::less<>> old_images;
  VisitContainers(old_pod->spec, "spec",
                  [&](const Container& c, ContainerKind, const std::string&) {
                    old_images.insert(c.image);
                    return true;
                  });
  bool has_new_image = false;
  VisitContainers(pod->spec, "spec", [&](const Container& c, ContainerKind, const std::string&) {
    has_new_image = !old_images.contains(c.image);
    return !has_new_image;
  });
  return !has_new_image;
}

}  // namespace

bool AlwaysPullImages::Ignores(const AdmissionRequest& request) {
  if (!request.subresource.empty() || request.resource != "pods") return true;
  return IsUpdateWithNoNewImages(request);
}

AdmissionResult AlwaysPullImages::Admit(AdmissionRequest& request,
                                        std::vector<Change>& changes) const {
  if (Ignores(request)) return {};
  Pod* pod = request.pod();
  if (pod == nullptr) return std::unexpected(BadRequestStatus(std::string(kNotAPod)));
  VisitContainers(pod->spec, "spec",
                  [&](Container& container, ContainerKind, const std::string& path) {
                    // ADM-01: every container kind, whatever its policy was.
                    if (container.image_pull_policy != kAlways) {
                      changes.push_back({kAlwaysPullImagesPlugin, path + ".imagePullPolicy",
                                         container.image_pull_policy, std::string(kAlways)});
                      container.image_pull_policy = std::string(kAlways);
                    }
                    return true;
                  });
  return {};
}

AdmissionResult AlwaysPullImages::Validate(const AdmissionRequest& request) const {
  if (Ignores(request)) return {};
  const Pod* pod = request.pod();
  if (pod == nullptr) return std::unexpected(BadRequestStatus(std::string(kNotAPod)));
  std::vector<std::string> messages;
  VisitContainers(
      pod->spec, "spec", [&](const Container& container, ContainerKind, const std::string& path) {
        if (container.image_pull_policy != kAlways) {
          const FieldError error =
              NotSupportedField(path + ".imagePullPolicy", container.image_pull_policy, {kAlways});
          messages.push_back(ForbiddenFor(request, error.ToString()).message);
        }
        return true;
      });
  if (messages.empty()) return {};
  // Several forbidden errors are aggregated; the status of the first names the reason.
  return std::unexpected(ApiStatus{403, "Forbidden", credentials::AggregateErrorText(messages)});
}

}  // namespace pullsim::cluster
