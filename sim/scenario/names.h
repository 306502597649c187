#pragma once
// The words a scenario file uses for its enumerations, one table each, shared by the loader (to
// read them), the runner and the reports (to print them).

#include <optional>
#include <span>
#include <string_view>

#include "sim/scenario/step.h"
#include "sim/scenario/world.h"

namespace pullsim::scenario {

template <typename Enum>
struct NameOf {
  Enum value;
  std::string_view name;
};

// Each table lists every enumerator with the spelling a scenario uses.
[[nodiscard]] std::span<const NameOf<AdmissionPlugin>> AdmissionPluginNames();  // "ServiceAccount"
[[nodiscard]] std::span<const NameOf<ObjectKind>> ObjectKindNames();            // "Pod"
[[nodiscard]] std::span<const NameOf<ContainerState>> ContainerStateNames();    // "Running"
[[nodiscard]] std::span<const NameOf<CredentialSourceKind>> CredentialSourceKindNames();  // "node"

// The spelling of `value` in its table.
template <typename Enum>
[[nodiscard]] std::string_view NameIn(std::span<const NameOf<Enum>> table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

// The enumerator spelled exactly `name`, if any.
template <typename Enum>
[[nodiscard]] std::optional<Enum> ParseName(std::span<const NameOf<Enum>> table,
                                            std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

[[nodiscard]] inline std::string_view ObjectKindName(ObjectKind kind) {
  return NameIn(ObjectKindNames(), kind);
}
[[nodiscard]] inline std::string_view ContainerStateName(ContainerState state) {
  return NameIn(ContainerStateNames(), state);
}

}  // namespace pullsim::scenario
