#pragma once
// A registry credential and where it came from (issue 5 item 6): a pull secret, the node's
// docker config file or a credential provider plugin, so that a person can be told why a
// credential was, or was not, offered.

#include <string>
#include <string_view>

namespace pullsim::credentials {

struct CredentialSource {
  enum class Kind { kSecret, kNode, kPlugin };
  Kind kind = Kind::kNode;
  std::string secret_namespace;  // kSecret
  std::string secret_name;       // kSecret
  std::string secret_uid;        // kSecret, optional
  std::string node_path;         // kNode: the file the node read; may be empty
  std::string plugin_name;       // kPlugin

  [[nodiscard]] static CredentialSource Secret(std::string namespace_name, std::string name,
                                               std::string uid = {});
  [[nodiscard]] static CredentialSource Node(std::string path);
  [[nodiscard]] static CredentialSource Plugin(std::string name);

  // "secret NAMESPACE/NAME", "node PATH" or "plugin NAME" (just "node" / "plugin" when the path
  // or name is empty).
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const CredentialSource&, const CredentialSource&) = default;
};

struct Credential {
  std::string username;
  std::string password;
  std::string email;
  CredentialSource source;
  friend bool operator==(const Credential&, const Credential&) = default;
};

// A credential and the keyring key it was found under ("quay.io/coreos", "index.docker.io").
struct KeyedCredential {
  std::string key;
  Credential credential;
  friend bool operator==(const KeyedCredential&, const KeyedCredential&) = default;
};

}  // namespace pullsim::credentials
