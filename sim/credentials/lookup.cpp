#include "sim/credentials/lookup.h"

#include <set>

#include "sim/reference/reference.h"

namespace pullsim::credentials {

Result<PullCredentials> LookupPullCredentials(std::string_view image, const Keyring* pod_secrets,
                                              const Keyring* node,
                                              CredentialProviderPlugins* plugins) {
  // CRED-12: the normalised repository, no tag, no digest (ParseImageName, REF-10).
  auto name = reference::ParseImageName(image);
  if (!name) return std::unexpected(name.error());
  PullCredentials result;
  result.repository = name->repository;
  Keyring plugin_keyring;
  if (plugins != nullptr) plugin_keyring = plugins->MakeKeyring(result.repository);
  // CRED-11: Union[pod secrets, Union[node, plugins]] concatenates member lookups in order.
  result.credentials = LookupUnion({pod_secrets, node, &plugin_keyring}, result.repository);
  return result;
}

std::string AggregatePullErrors(const std::vector<std::string>& messages) {
  if (messages.empty()) return "";
  if (messages.size() == 1) return messages.front();
  std::set<std::string, std::less<>> seen;
  std::string joined;
  for (const std::string& message : messages) {
    if (!seen.insert(message).second) continue;
    if (seen.size() > 1) joined += ", ";
    joined += message;
  }
  if (seen.size() == 1) return joined;
  return "[" + joined + "]";
}

}  // namespace pullsim::credentials
