#include "sim/node/pull_records.h"

#include <algorithm>
#include <tuple>

namespace pullsim::node {
namespace {

auto SecretKey(const ImagePullSecret& s) { return std::tie(s.namespace_name, s.name, s.uid); }
auto AccountKey(const ImagePullServiceAccount& a) {
  return std::tie(a.namespace_name, a.name, a.uid);
}

}  // namespace

ImagePullCredentials CredentialsToRecord(const PullCredential* used) {
  ImagePullCredentials creds;
  if (used == nullptr || (!used->secret && !used->service_account)) {
    creds.node_pods_accessible = true;
    return creds;
  }
  if (used->secret) {
    creds.kubernetes_secrets.push_back({used->secret->uid, used->secret->namespace_name,
                                        used->secret->name, used->credential_hash});
  }
  if (used->service_account) {
    creds.kubernetes_service_accounts.push_back({used->service_account->uid,
                                                 used->service_account->namespace_name,
                                                 used->service_account->name});
  }
  return creds;
}

MergedSecrets MergePullSecrets(const std::vector<ImagePullSecret>& existing,
                               const std::vector<ImagePullSecret>& incoming) {
  std::vector<ImagePullSecret> merged = existing;
  bool changed = false;
  for (const ImagePullSecret& secret : incoming) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const ImagePullSecret& s) {
      return SecretKey(s) == SecretKey(secret);
    });
    if (same == merged.end()) {
      merged.push_back(secret);
      changed = true;
    } else if (same->credential_hash != secret.credential_hash) {
      same->credential_hash = secret.credential_hash;  // the new hash wins
      changed = true;
    }
  }
  if (!changed) return {existing, false};
  std::sort(merged.begin(), merged.end(), [](const ImagePullSecret& a, const ImagePullSecret& b) {
    return SecretKey(a) < SecretKey(b);
  });
  return {std::move(merged), true};
}

MergedServiceAccounts MergePullServiceAccounts(
    const std::vector<ImagePullServiceAccount>& existing,
    const std::vector<ImagePullServiceAccount>& incoming) {
  std::vector<ImagePullServiceAccount> merged = existing;
  bool changed = false;
  for (const ImagePullServiceAccount& account : incoming) {
    if (std::find(merged.begin(), merged.end(), account) == merged.end()) {
      merged.push_back(account);
      changed = true;
    }
  }
  if (!changed) return {existing, false};
  std::sort(merged.begin(), merged.end(),
            [](const ImagePullServiceAccount& a, const ImagePullServiceAccount& b) {
              return AccountKey(a) < AccountKey(b);
            });
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  return {std::move(merged), true};
}

MergedRecord MergeNewCredentials(const ImagePulledRecord& record, std::string_view repository,
                                 const ImagePullCredentials* incoming, Timestamp now) {
  if (incoming == nullptr || incoming->empty()) return {record, false};
  MergedRecord result{record, true};
  auto found = result.record.credential_mapping.find(std::string(repository));
  if (found == result.record.credential_mapping.end()) {
    result.record.credential_mapping.emplace(std::string(repository), *incoming);
    result.record.last_updated_time = now;
    return result;
  }
  ImagePullCredentials& selected = found->second;
  if (selected.node_pods_accessible) return {record, false};  // never narrowed
  if (incoming->node_pods_accessible) {
    selected = ImagePullCredentials{{}, {}, true};
  } else if (!incoming->kubernetes_secrets.empty()) {
    MergedSecrets merged =
        MergePullSecrets(selected.kubernetes_secrets, incoming->kubernetes_secrets);
    if (!merged.changed) return {record, false};
    selected.kubernetes_secrets = std::move(merged.secrets);
  } else {
    MergedServiceAccounts merged = MergePullServiceAccounts(selected.kubernetes_service_accounts,
                                                            incoming->kubernetes_service_accounts);
    if (!merged.changed) return {record, false};
    selected.kubernetes_service_accounts = std::move(merged.service_accounts);
  }
  result.record.last_updated_time = now;
  return result;
}

}  // namespace pullsim::node
