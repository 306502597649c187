#pragma once
// The API server's defaulting of decoded objects, limited to what image handling reads:
// imagePullPolicy on every container of pods and pod templates (POL-01, POL-02) and the Secret
// type. An explicitly set value is never changed.

#include <string_view>
#include <vector>

#include "sim/cluster/change.h"
#include "sim/cluster/objects.h"

namespace pullsim::cluster {

// POL-01/02: sets each empty imagePullPolicy under `spec` (init, regular and ephemeral
// containers) from its image (reference::DefaultPullPolicy). `spec_path` names `spec` in the
// recorded changes ("spec", "spec.template.spec"). Appends one Change per field set.
void DefaultPodSpec(PodSpec& spec, std::string_view spec_path, std::vector<Change>& changes);

// Defaulting of any object: pods and workload templates as above; a Secret without a type becomes
// Opaque (SetDefaults_Secret). Returns what it set.
std::vector<Change> DefaultObject(Object& object);

}  // namespace pullsim::cluster
