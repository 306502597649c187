#pragma once
// KEP-2535 pull records as values: which credentials pulled an imageRef (KEP2535-05), how new
// credentials merge into a record, and the on-disk form under <root-dir>/image_manager
// (KEP2535-06): file names, JSON written byte for byte as the kubelet writes it, strict reading.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/pull_credentials.h"

namespace pullsim::node {

// kubernetesSecrets[] entry.
struct ImagePullSecret {
  std::string uid;
  std::string namespace_name;
  std::string name;
  std::string credential_hash;
  friend bool operator==(const ImagePullSecret&, const ImagePullSecret&) = default;
};

// kubernetesServiceAccounts[] entry.
struct ImagePullServiceAccount {
  std::string uid;
  std::string namespace_name;
  std::string name;
  friend bool operator==(const ImagePullServiceAccount&, const ImagePullServiceAccount&) = default;
};

// The credentials recorded for one normalised repository.
struct ImagePullCredentials {
  std::vector<ImagePullSecret> kubernetes_secrets;
  std::vector<ImagePullServiceAccount> kubernetes_service_accounts;
  bool node_pods_accessible = false;

  // Carries nothing: no secret, no service account, not node-accessible.
  [[nodiscard]] bool empty() const {
    return !node_pods_accessible && kubernetes_secrets.empty() &&
           kubernetes_service_accounts.empty();
  }
  friend bool operator==(const ImagePullCredentials&, const ImagePullCredentials&) = default;
};

// ImagePulledRecord: keyed by imageRef; credentialMapping is keyed by normalised repository
// ("docker.io/library/nginx"), never by the pod's spelling.
struct ImagePulledRecord {
  Timestamp last_updated_time{};
  std::string image_ref;
  std::map<std::string, ImagePullCredentials> credential_mapping;
  friend bool operator==(const ImagePulledRecord&, const ImagePulledRecord&) = default;
};

// ImagePullIntent: the image string exactly as in the pod spec.
struct ImagePullIntent {
  std::string image;
  friend bool operator==(const ImagePullIntent&, const ImagePullIntent&) = default;
};

// KEP2535-05 (trackedToImagePullCreds): what a successful pull with `used` records: nothing or a
// node-level credential → nodePodsAccessible; a pod secret → that secret with the credential's
// hash; a service-account credential → that service account.
[[nodiscard]] ImagePullCredentials CredentialsToRecord(const PullCredential* used);

// KEP2535-05 (mergePullSecrets): union by (namespace, name, uid), the new hash winning, sorted by
// namespace, name, uid. `changed` is false when `incoming` adds or alters nothing.
struct MergedSecrets {
  std::vector<ImagePullSecret> secrets;
  bool changed = false;
};
[[nodiscard]] MergedSecrets MergePullSecrets(const std::vector<ImagePullSecret>& existing,
                                             const std::vector<ImagePullSecret>& incoming);

// KEP2535-05 (mergePullServiceAccounts): set union, sorted by namespace, name, uid.
struct MergedServiceAccounts {
  std::vector<ImagePullServiceAccount> service_accounts;
  bool changed = false;
};
[[nodiscard]] MergedServiceAccounts MergePullServiceAccounts(
    const std::vector<ImagePullServiceAccount>& existing,
    const std::vector<ImagePullServiceAccount>& incoming);

// KEP2535-05 (pulledRecordMergeNewCreds): merges `incoming` (nullptr = nothing known) into
// `record` for `repository`. An existing nodePodsAccessible entry is never narrowed; a new one
// replaces secrets and service accounts; otherwise secrets (or, when the new credentials carry
// none, service accounts) are unioned. lastUpdatedTime becomes `now` only when something changed.
struct MergedRecord {
  ImagePulledRecord record;
  bool changed = false;
};
[[nodiscard]] MergedRecord MergeNewCredentials(const ImagePulledRecord& record,
                                               std::string_view repository,
                                               const ImagePullCredentials* incoming, Timestamp now);

// ---- On disk (KEP2535-06) ----------------------------------------------------------------

// "sha256-<hex sha256 of key>": key is the image string (intents) or the imageRef (records).
[[nodiscard]] std::string CacheFileName(std::string_view key);
// <root>/image_manager/pulling and <root>/image_manager/pulled.
[[nodiscard]] std::string PullingDirectory(std::string_view root_dir);
[[nodiscard]] std::string PulledDirectory(std::string_view root_dir);
// True for names the kubelet reads back: "sha256-…" and not "….tmp".
[[nodiscard]] bool IsCacheFileName(std::string_view name);

// The JSON the kubelet writes (Go encoding/json: fields in struct order, map keys sorted, Go's
// string escaping, a trailing newline). `api_version` is kubelet.config.k8s.io/v1beta1 (v1.35)
// or v1alpha1 (v1.33–v1.34, which also wrote "kubernetesSecrets":null when unused).
[[nodiscard]] std::string EncodePullIntent(const ImagePullIntent& intent,
                                           std::string_view api_version);
[[nodiscard]] std::string EncodePulledRecord(const ImagePulledRecord& record,
                                             std::string_view api_version);

// Strict reading: either API version, kind checked, unknown fields and wrong types rejected.
// kInvalidArgument naming the field and what was expected.
[[nodiscard]] Result<ImagePullIntent> DecodePullIntent(std::string_view bytes);
[[nodiscard]] Result<ImagePulledRecord> DecodePulledRecord(std::string_view bytes);

// `text` as Go's encoding/json writes a string: quoted, <, > and & as \u003c…, control
// characters escaped, invalid UTF-8 as \ufffd.
[[nodiscard]] std::string GoJsonString(std::string_view text);

// RFC 3339 as metav1.Time writes it: UTC, whole seconds ("2024-10-21T12:26:40Z").
[[nodiscard]] std::string FormatRecordTime(Timestamp time);
// RFC 3339 with optional fraction and "Z" or ±hh:mm; kInvalidArgument otherwise.
[[nodiscard]] Result<Timestamp> ParseRecordTime(std::string_view text);

}  // namespace pullsim::node
