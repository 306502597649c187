#pragma once
// The credentials the kubelet may offer a registry for one image, where each came from, and
// which of them identify the pod for KEP-2535 (KEP2535-04 step 8, KEP2535-05).
// The keyring that produces them (pod secrets ∪ node config ∪ providers, CRED-01..12) belongs to
// sim/credentials; the image manager only sees a PullCredentialsLookup.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::node {

// A Secret object's coordinates.
struct SecretCoordinates {
  std::string uid;
  std::string namespace_name;
  std::string name;
  friend bool operator==(const SecretCoordinates&, const SecretCoordinates&) = default;
};

// A ServiceAccount's coordinates (service-account-token credential providers, KEP-4412).
struct ServiceAccountCoordinates {
  std::string uid;
  std::string namespace_name;
  std::string name;
  friend bool operator==(const ServiceAccountCoordinates&,
                         const ServiceAccountCoordinates&) = default;
};

// One credential from the keyring (upstream's TrackedAuthConfig). No secret and no service
// account means a node-level credential (node docker config or a plugin without pod identity).
struct PullCredential {
  std::string username;
  std::string password;
  std::string auth;
  std::string email;
  std::string identity_token;
  std::string registry_token;
  std::string server_address;
  std::optional<SecretCoordinates> secret;
  std::optional<ServiceAccountCoordinates> service_account;
  // KEP2535-05: sha256 of the JSON-encoded auth config, computed by the keyring; may be empty
  // when hashing failed.
  std::string credential_hash;
  // Where the keyring found it, as sim/credentials words it: "secret NS/NAME", "node PATH",
  // "plugin NAME"; empty when the caller did not say.
  std::string source;

  // `source` when set; else "secret default/regcred", "service account ns/builder" or "node",
  // for logs and tests.
  [[nodiscard]] std::string Describe() const;
  friend bool operator==(const PullCredential&, const PullCredential&) = default;
};

// Looks up the credentials for the image being pulled, in keyring order (CRED-11/12). An error
// (e.g. a pull secret with malformed JSON, CRED-10) carries the keyring's raw text in `message`.
using PullCredentialsLookup = std::function<Result<std::vector<PullCredential>>()>;

// KEP2535-04 step 8: the pod's own identity among its credentials: every secret credential, and
// the first service-account credential; node-level credentials are left out.
struct PodCredentials {
  struct Secret {
    SecretCoordinates coordinates;
    std::string credential_hash;
  };
  std::vector<Secret> secrets;
  std::optional<ServiceAccountCoordinates> service_account;
};
[[nodiscard]] PodCredentials PodCredentialsOf(std::span<const PullCredential> credentials);

// KEP2535-05: the credential hash the keyring attaches to a credential: hex sha256 of the
// JSON-encoded auth config (Go encoding/json of {username, password, auth, email, serveraddress,
// identitytoken, registrytoken}, empty fields omitted).
[[nodiscard]] std::string CredentialHash(const PullCredential& credential);

}  // namespace pullsim::node
