#include "sim/credentials/node_docker_config.h"

namespace pullsim::credentials {

NodeDockerConfigProvider::NodeDockerConfigProvider(const NodeFileSystem& files, KubeletPaths paths,
                                                   const Clock& clock, Duration lifetime)
    : files_(files), paths_(std::move(paths)), clock_(clock), lifetime_(lifetime) {}

const NodeDockerConfig& NodeDockerConfigProvider::Provide() {
  Timestamp now = clock_.Now();
  if (cached_ && now < expires_at_) return *cached_;
  cached_ = FindNodeDockerConfig(files_, paths_);
  ++searches_;
  expires_at_ = now + lifetime_;
  return *cached_;
}

Keyring NodeDockerConfigProvider::MakeKeyring() {
  const NodeDockerConfig& config = Provide();
  Keyring keyring;
  (void)keyring.Add(config.config, CredentialSource::Node(config.file_used.value_or("")));
  return keyring;
}

}  // namespace pullsim::credentials
