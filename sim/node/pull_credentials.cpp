#include "sim/node/pull_credentials.h"

namespace pullsim::node {

std::string PullCredential::Describe() const {
  if (secret) return "secret " + secret->namespace_name + "/" + secret->name;
  if (service_account) {
    return "service account " + service_account->namespace_name + "/" + service_account->name;
  }
  return "node";
}

PodCredentials PodCredentialsOf(std::span<const PullCredential> credentials) {
  PodCredentials pod;
  for (const PullCredential& credential : credentials) {
    if (credential.secret) {
      pod.secrets.push_back({*credential.secret, credential.credential_hash});
    } else if (credential.service_account && !pod.service_account) {
      // Audiences are not considered, so one service account per pod is enough.
      pod.service_account = *credential.service_account;
    }
  }
  return pod;
}

PodPullSecretNames SplitPullSecretsForPod(std::span<const std::string> image_pull_secrets,
                                          const std::function<bool(std::string_view)>& can_read) {
  PodPullSecretNames names;
  for (const std::string& name : image_pull_secrets) {
    if (name.empty()) continue;  // CRED-14: skipped without a word
    (can_read(name) ? names.found : names.missing).push_back(name);
  }
  return names;
}

}  // namespace pullsim::node
