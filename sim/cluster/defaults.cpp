#include "sim/cluster/defaults.h"

#include <string>

#include "sim/reference/pull_policy.h"

namespace pullsim::cluster {

void DefaultPodSpec(PodSpec& spec, std::string_view spec_path, std::vector<Change>& changes) {
  VisitContainers(
      spec, spec_path, [&](Container& container, ContainerKind, const std::string& path) {
        // POL-01: omitted and "" are the same; the tag decides, a parse error counts
        // as no tag (IfNotPresent).
        if (container.image_pull_policy.empty()) {
          container.image_pull_policy =
              std::string(reference::PullPolicyName(reference::DefaultPullPolicy(container.image)));
          changes.push_back(
              {kDefaultingStep, path + ".imagePullPolicy", "", container.image_pull_policy});
        }
        return true;
      });
}

std::vector<Change> DefaultObject(Object& object) {
  std::vector<Change> changes;
  if (auto* pod = std::get_if<Pod>(&object)) {
    DefaultPodSpec(pod->spec, "spec", changes);
  } else if (auto* workload = std::get_if<Workload>(&object)) {
    // POL-02: every pod template is defaulted the same way as a pod.
    DefaultPodSpec(workload->template_spec, TemplateSpecPath(*workload), changes);
  } else if (auto* secret = std::get_if<Secret>(&object)) {
    if (secret->type.empty()) {
      secret->type = std::string(kSecretTypeOpaque);
      changes.push_back({kDefaultingStep, "type", "", secret->type});
    }
  }
  return changes;
}

}  // namespace pullsim::cluster
