#pragma once
// Image pull secrets (CRED-10, CRED-14): Secret manifests read as plain values, turned into the
// pod's keyring the way the kubelet's MakeDockerKeyring does, and resolved for a pod the way
// getPullSecretsForPod does. The cluster module hands secrets here as PullSecret values.

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/credentials/keyring.h"

namespace pullsim::credentials {

inline constexpr std::string_view kSecretTypeDockerConfigJson = "kubernetes.io/dockerconfigjson";
inline constexpr std::string_view kSecretTypeDockercfg = "kubernetes.io/dockercfg";
inline constexpr std::string_view kDockerConfigJsonKey = ".dockerconfigjson";
inline constexpr std::string_view kDockercfgKey = ".dockercfg";

// A Secret object, reduced to what the kubelet reads from it.
struct PullSecret {
  std::string namespace_name;  // metadata.namespace; empty when the manifest does not say
  std::string name;            // metadata.name
  std::string uid;             // metadata.uid, optional
  std::string type = "Opaque";
  std::map<std::string, std::string> data;  // decoded bytes; stringData merged over data
  std::string where;                        // "file.yaml:3:1", for messages; may be empty
};

// Reads Secret manifests from YAML (one or many documents; `kind: List` items too). `data`
// values are base64 (decoded as Go's StdEncoding, as the API server does), `stringData`
// values plain text and win over `data`. kInvalidArgument names file:line:col and field.
[[nodiscard]] Result<std::vector<PullSecret>> ReadPullSecrets(std::string_view yaml,
                                                              std::string_view file_name);

// The pod secrets' keyring (CRED-10).
struct PodSecretKeyring {
  Keyring keyring;
  std::size_t secrets_used = 0;       // secrets of a docker type with a non-empty data key
  std::vector<std::string> warnings;  // ignored secrets and entries, credential helpers
};

// CRED-10: MakeDockerKeyring. dockerconfigjson secrets are read as config.json, dockercfg
// secrets as .dockercfg, in the given (imagePullSecrets) order, all into one keyring; other
// types and empty values are ignored. A decoding error fails the whole keyring (KUB-14):
// kInvalidArgument whose message is the kubelet's error text, word for word, and whose `where`
// names the secret, data key, line, column and JSON key.
[[nodiscard]] Result<PodSecretKeyring> MakePodSecretKeyring(std::span<const PullSecret> secrets);

// Event reason recorded on the Pod when some pull secrets cannot be retrieved (CRED-14).
inline constexpr std::string_view kFailedToRetrieveImagePullSecret =
    "FailedToRetrieveImagePullSecret";

// The secrets a pod's imagePullSecrets resolve to (CRED-14).
struct PodPullSecrets {
  std::vector<PullSecret> secrets;   // found, in imagePullSecrets order
  std::vector<std::string> missing;  // names that could not be retrieved
  // The Warning event's message when something is missing:
  // "Unable to retrieve some image pull secrets (a, b); attempting to pull the image may not
  // succeed."
  std::optional<std::string> warning;
};

// How the kubelet gets a secret: by namespace and name; any error means "cannot retrieve".
using SecretGetter =
    std::function<Result<PullSecret>(std::string_view namespace_name, std::string_view name)>;

// CRED-14: getPullSecretsForPod. Empty names are skipped silently; each secret that cannot be
// retrieved is skipped and named in one warning; the pull goes on with the rest. A pod only
// ever asks for secrets of its own namespace.
[[nodiscard]] PodPullSecrets GetPullSecretsForPod(std::string_view pod_namespace,
                                                  std::span<const std::string> secret_names,
                                                  const SecretGetter& get_secret);

// A SecretGetter over a copy of `secrets`: found only by exact namespace and name; anything
// else is kNotFound, as for a secret of another namespace.
[[nodiscard]] SecretGetter SecretsIn(std::vector<PullSecret> secrets);

}  // namespace pullsim::credentials
