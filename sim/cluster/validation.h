#pragma once
// The API server's validation of the objects the simulator keeps
// (pkg/apis/core/validation): object names, containers and their images and pull policies
// (POL-03, POL-04), pod updates (POL-05), pull-secret objects (CRED-15). Each function returns the
// field errors in upstream's order; an empty list means the object is valid.

#include "sim/cluster/api_errors.h"
#include "sim/cluster/objects.h"

namespace pullsim::cluster {

// metadata and spec of a pod as any write path checks them (validatePodMetadataAndSpec): names,
// containers (name, image required, imagePullPolicy in the allowed set), service account and node
// names; ephemeral containers also get the pod-only image check (POL-04).
[[nodiscard]] ErrorList ValidatePod(const Pod& pod);

// ValidatePod plus the create-only rules: no ephemeral containers (they are added through the
// pods/ephemeralcontainers subresource) and, for containers and init containers, no leading or
// trailing whitespace in the image (POL-04, pods only).
[[nodiscard]] ErrorList ValidatePodCreate(const Pod& pod);

// POL-05: ValidatePod of the new pod, then only the images of containers and init containers may
// differ from the old pod; anything else (imagePullPolicy included) gives
// `spec: Forbidden: pod updates may not change fields other than ...`.
[[nodiscard]] ErrorList ValidatePodUpdate(const Pod& new_pod, const Pod& old_pod);

// The pods/ephemeralcontainers subresource: new ephemeral containers are validated; existing ones
// may not be removed or changed; static (mirror) pods take none.
[[nodiscard]] ErrorList ValidatePodEphemeralContainersUpdate(const Pod& new_pod,
                                                             const Pod& old_pod);

// A workload's metadata and pod template: containers as for a pod, but an image with surrounding
// whitespace is accepted (POL-04: templates only). The workload's own fields are not checked.
[[nodiscard]] ErrorList ValidateWorkload(const Workload& workload);

// CRED-15: metadata, data keys, total size, and the per-type rules (dockerconfigjson and dockercfg
// need their key holding a JSON object; tls, basic-auth, ssh-auth, service-account-token keys).
[[nodiscard]] ErrorList ValidateSecret(const Secret& secret);
// The type is immutable, and so are data and `immutable` once `immutable: true`.
[[nodiscard]] ErrorList ValidateSecretUpdate(const Secret& new_secret, const Secret& old_secret);

[[nodiscard]] ErrorList ValidateServiceAccount(const ServiceAccount& account);
[[nodiscard]] ErrorList ValidateNamespace(const Namespace& ns);

// Create-time validation of any object (ValidatePodCreate for pods).
[[nodiscard]] ErrorList ValidateObjectCreate(const Object& object);
// Update-time validation; `old_object` holds the same alternative as `new_object`.
[[nodiscard]] ErrorList ValidateObjectUpdate(const Object& new_object, const Object& old_object);

}  // namespace pullsim::cluster
