#pragma once
// API warnings (not errors) the API server returns with a pod or pod template write, the part
// about pull secrets (pkg/api/pod/warnings.go, ADM-08): a repeated name, an empty name.

#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/objects.h"

namespace pullsim::cluster {

// `<path>.imagePullSecrets[i].name: duplicate name "<n>"` for each repeat, then
// `... invalid empty name ""` for each empty one. `template_path` is "" for a pod's own spec,
// else the template's path ("spec.template").
[[nodiscard]] std::vector<std::string> PullSecretWarnings(const PodSpec& spec,
                                                          std::string_view template_path);

// The warnings for writing `object` (pods and workload templates; none for other kinds).
[[nodiscard]] std::vector<std::string> WarningsFor(const Object& object);

}  // namespace pullsim::cluster
