#pragma once
// The credentials the kubelet tries for one image (CRED-01, CRED-11..13): the image's
// normalised repository looked up in Union[pod secrets, Union[node config, plugins]], each
// member with its own Docker Hub fallback; the pull is tried with each credential in order,
// and without credentials only when there is none.

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/credentials/credential.h"
#include "sim/credentials/keyring.h"
#include "sim/credentials/provider_plugin.h"

namespace pullsim::credentials {

struct PullCredentials {
  std::string repository;                    // CRED-12: what was looked up
  std::vector<KeyedCredential> credentials;  // CRED-13: tried in this order
  // CRED-13: true when no credential matched: exactly one pull without credentials follows.
  // Never true alongside credentials: there is no anonymous retry.
  [[nodiscard]] bool anonymous() const { return credentials.empty(); }
};

// CRED-01/11/12/13: looks up `image` (as written in the pod spec). Any keyring may be null;
// `plugins` are asked for the repository (CRED-17). kInvalidArgument when the image name does
// not parse (the kubelet's "couldn't parse image name" text, REF-10).
[[nodiscard]] Result<PullCredentials> LookupPullCredentials(std::string_view image,
                                                            const Keyring* pod_secrets,
                                                            const Keyring* node,
                                                            CredentialProviderPlugins* plugins);

}  // namespace pullsim::credentials
