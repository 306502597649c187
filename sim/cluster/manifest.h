#pragma once
// Kubernetes manifests as `kubectl apply -f` reads them: YAML or JSON, one or many documents per
// file (`---`), `kind: List` (or a typed list such as PodList) with `items`. Known kinds:
// Namespace, Pod, Secret, ServiceAccount (v1) and the workloads whose pod template is defaulted
// (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController,
// PodTemplate). Errors carry file:line:col; objects keep the position of each field they wrote.

#include <filesystem>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/cluster/objects.h"
#include "sim/core/result.h"

namespace pullsim::cluster {

// One object from a mapping node (e.g. an inline manifest inside a scenario file). `file` names
// the file the node came from, for positions. kInvalidArgument for an unknown kind or version
// (`no matches for kind "Foo" in version "v1"`), a missing apiVersion or kind, an unknown field
// (`strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"`), a wrong type,
// a bad base64 value in Secret data; `where` is the offending node's file:line:col.
[[nodiscard]] Result<Object> ParseObject(const YAML::Node& node, std::string_view file);

// The objects of one document node: a List expands to its items, a null node gives none.
[[nodiscard]] Result<std::vector<Object>> ParseManifestNode(const YAML::Node& node,
                                                            std::string_view file);

// Every document of `text`, in order; YAML syntax errors are kInvalidArgument with
// "file:line:col" of the problem.
[[nodiscard]] Result<std::vector<Object>> ParseManifests(std::string_view text,
                                                         std::string_view file);

// ParseManifests of a file's contents; kNotFound when it cannot be read.
[[nodiscard]] Result<std::vector<Object>> LoadManifestFile(const std::filesystem::path& path);

}  // namespace pullsim::cluster
