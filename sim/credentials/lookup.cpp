#include "sim/credentials/lookup.h"

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

}  // namespace pullsim::credentials
