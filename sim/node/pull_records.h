#pragma once
// KEP-2535 pull records as values: which credentials pulled an imageRef and how new credentials
// merge into a record (KEP2535-05). Their files are in record_files.h (KEP2535-06).

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

}  // namespace pullsim::node
