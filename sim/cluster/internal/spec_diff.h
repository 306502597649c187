#pragma once
// A readable list of what differs between two pod specs, appended to the POL-05 "pod updates may
// not change fields other than ..." message (upstream appends a Go struct diff there).

#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/objects.h"

namespace pullsim::cluster::internal {

// One line per differing field: `spec.containers[0].imagePullPolicy: "Always" -> "IfNotPresent"`.
[[nodiscard]] std::vector<std::string> DescribeSpecChanges(const PodSpec& before,
                                                           const PodSpec& after,
                                                           std::string_view path);

}  // namespace pullsim::cluster::internal
