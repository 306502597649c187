#include "sim/scenario/names.h"

#include <array>

namespace pullsim::scenario {
namespace {

constexpr std::array<NameOf<AdmissionPlugin>, 2> kPlugins = {{
    {AdmissionPlugin::kServiceAccount, "ServiceAccount"},
    {AdmissionPlugin::kAlwaysPullImages, "AlwaysPullImages"},
}};

constexpr std::array<NameOf<ObjectKind>, 4> kObjectKinds = {{
    {ObjectKind::kNamespace, "Namespace"},
    {ObjectKind::kSecret, "Secret"},
    {ObjectKind::kServiceAccount, "ServiceAccount"},
    {ObjectKind::kPod, "Pod"},
}};

constexpr std::array<NameOf<ContainerState>, 3> kStates = {{
    {ContainerState::kWaiting, "Waiting"},
    {ContainerState::kRunning, "Running"},
    {ContainerState::kTerminated, "Terminated"},
}};

constexpr std::array<NameOf<CredentialSourceKind>, 4> kSources = {{
    {CredentialSourceKind::kAnonymous, "anonymous"},
    {CredentialSourceKind::kSecret, "secret"},
    {CredentialSourceKind::kNode, "node"},
    {CredentialSourceKind::kProvider, "provider"},
}};

}  // namespace

std::span<const NameOf<AdmissionPlugin>> AdmissionPluginNames() { return kPlugins; }
std::span<const NameOf<ObjectKind>> ObjectKindNames() { return kObjectKinds; }
std::span<const NameOf<ContainerState>> ContainerStateNames() { return kStates; }
std::span<const NameOf<CredentialSourceKind>> CredentialSourceKindNames() { return kSources; }

}  // namespace pullsim::scenario
