#include "sim/scenario/scenario.h"

#include <array>

#include "sim/scenario/names.h"

namespace pullsim::scenario {

std::string Manifest::Describe() const {
  std::string text(ObjectKindName(kind));
  text += " ";
  if (!namespace_name.empty()) text += namespace_name + "/";
  return text + name;
}

const Registry* Scenario::FindRegistry(std::string_view host) const {
  for (const Registry& registry : registries) {
    if (registry.host == host) return &registry;
  }
  return nullptr;
}

const Node* Scenario::FindNode(std::string_view node_name) const {
  for (const Node& node : nodes) {
    if (node.name == node_name) return &node;
  }
  return nullptr;
}

std::string CredentialSource::ToString() const {
  std::string text(NameIn(CredentialSourceKindNames(), kind));
  if (kind != CredentialSourceKind::kAnonymous) text += ":" + detail;
  return text;
}

bool CountExpectation::Matches(std::uint64_t actual) const {
  if (equal && actual != *equal) return false;
  if (at_least && actual < *at_least) return false;
  if (at_most && actual > *at_most) return false;
  return true;
}

std::string CountExpectation::Describe() const {
  if (equal) return std::to_string(*equal);
  if (at_least && at_most) {
    return "between " + std::to_string(*at_least) + " and " + std::to_string(*at_most);
  }
  if (at_least) return "at least " + std::to_string(*at_least);
  if (at_most) return "at most " + std::to_string(*at_most);
  return "any number";
}

std::string_view Step::Kind() const {
  static constexpr std::array<std::string_view, std::variant_size_v<StepAction>> kKinds = {
      "apply",  "delete",         "advance",     "push",     "deleteImage",
      "revoke", "rotatePassword", "removeImage", "editFile", "expect"};
  return kKinds[action.index()];
}

}  // namespace pullsim::scenario
