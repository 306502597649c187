#include "sim/cluster/internal/spec_diff.h"

#include <algorithm>

#include "sim/core/go_quote.h"

namespace pullsim::cluster::internal {
namespace {

void Compare(const std::string& path, const std::string& before, const std::string& after,
             std::vector<std::string>& lines) {
  if (before != after) lines.push_back(path + ": " + GoQuote(before) + " -> " + GoQuote(after));
}

std::string JoinReferences(const std::vector<LocalObjectReference>& references) {
  std::string text = "[";
  for (size_t i = 0; i < references.size(); ++i) {
    if (i > 0) text += ", ";
    text += references[i].name;
  }
  return text + "]";
}

void CompareFields(const std::string& path, const std::map<std::string, std::string>& before,
                   const std::map<std::string, std::string>& after,
                   std::vector<std::string>& lines) {
  for (const auto& [key, value] : before) {
    const auto it = after.find(key);
    if (it == after.end()) {
      lines.push_back(path + "." + key + ": removed");
    } else if (it->second != value) {
      lines.push_back(path + "." + key + ": changed");
    }
  }
  for (const auto& [key, value] : after) {
    if (!before.contains(key)) lines.push_back(path + "." + key + ": added");
  }
}

void CompareContainers(const std::string& path, const std::vector<Container>& before,
                       const std::vector<Container>& after, std::vector<std::string>& lines) {
  if (before.size() != after.size()) {
    lines.push_back(path + ": " + std::to_string(before.size()) + " containers -> " +
                    std::to_string(after.size()));
  }
  for (size_t i = 0; i < std::min(before.size(), after.size()); ++i) {
    const std::string item = path + "[" + std::to_string(i) + "]";
    const Container& b = before[i];
    const Container& a = after[i];
    Compare(item + ".name", b.name, a.name, lines);
    Compare(item + ".image", b.image, a.image, lines);
    Compare(item + ".imagePullPolicy", b.image_pull_policy, a.image_pull_policy, lines);
    Compare(item + ".targetContainerName", b.target_container_name, a.target_container_name, lines);
    if (b.env_secrets != a.env_secrets) lines.push_back(item + ".env: changed");
    CompareFields(item, b.other_fields, a.other_fields, lines);
  }
}

}  // namespace

std::vector<std::string> DescribeSpecChanges(const PodSpec& before, const PodSpec& after,
                                             std::string_view path) {
  const std::string base(path);
  std::vector<std::string> lines;
  CompareContainers(base + ".initContainers", before.init_containers, after.init_containers, lines);
  CompareContainers(base + ".containers", before.containers, after.containers, lines);
  CompareContainers(base + ".ephemeralContainers", before.ephemeral_containers,
                    after.ephemeral_containers, lines);
  if (before.image_pull_secrets != after.image_pull_secrets) {
    lines.push_back(base + ".imagePullSecrets: " + JoinReferences(before.image_pull_secrets) +
                    " -> " + JoinReferences(after.image_pull_secrets));
  }
  Compare(base + ".serviceAccountName", before.service_account_name, after.service_account_name,
          lines);
  Compare(base + ".nodeName", before.node_name, after.node_name, lines);
  if (before.secret_volumes != after.secret_volumes) lines.push_back(base + ".volumes: changed");
  CompareFields(base, before.other_fields, after.other_fields, lines);
  return lines;
}

}  // namespace pullsim::cluster::internal
