#include "sim/credentials/credential.h"

namespace pullsim::credentials {

CredentialSource CredentialSource::Secret(std::string namespace_name, std::string name,
                                          std::string uid) {
  CredentialSource source;
  source.kind = Kind::kSecret;
  source.secret_namespace = std::move(namespace_name);
  source.secret_name = std::move(name);
  source.secret_uid = std::move(uid);
  return source;
}

CredentialSource CredentialSource::Node(std::string path) {
  CredentialSource source;
  source.kind = Kind::kNode;
  source.node_path = std::move(path);
  return source;
}

CredentialSource CredentialSource::Plugin(std::string name) {
  CredentialSource source;
  source.kind = Kind::kPlugin;
  source.plugin_name = std::move(name);
  return source;
}

std::string CredentialSource::ToString() const {
  switch (kind) {
    case Kind::kSecret:
      return "secret " + secret_namespace + "/" + secret_name;
    case Kind::kNode:
      return node_path.empty() ? "node" : "node " + node_path;
    case Kind::kPlugin:
      return plugin_name.empty() ? "plugin" : "plugin " + plugin_name;
  }
  return "unknown";
}

}  // namespace pullsim::credentials
