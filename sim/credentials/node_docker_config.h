#pragma once
// The node's docker config as the kubelet serves it (CRED-16): the search of CRED-02/03 done
// at most once per lifetime (5 minutes, CachingDockerConfigProvider) on a pullsim::Clock, so an
// edited file shows at the first lookup after the cached copy expires.

#include <chrono>
#include <optional>

#include "sim/core/clock.h"
#include "sim/credentials/keyring.h"
#include "sim/credentials/search_path.h"

namespace pullsim::credentials {

class NodeDockerConfigProvider {
 public:
  static constexpr Duration kDefaultLifetime = std::chrono::minutes(5);

  // `files` and `clock` must outlive the provider.
  NodeDockerConfigProvider(const NodeFileSystem& files, KubeletPaths paths, const Clock& clock,
                           Duration lifetime = kDefaultLifetime);

  // CRED-16: the cached result while now is before its expiry, otherwise a fresh search
  // (an empty result is cached too).
  const NodeDockerConfig& Provide();
  // A keyring of what Provide() returns, each credential tagged "node <file>".
  [[nodiscard]] Keyring MakeKeyring();
  // How many times the files were searched.
  [[nodiscard]] int searches() const { return searches_; }

 private:
  const NodeFileSystem& files_;
  KubeletPaths paths_;
  const Clock& clock_;
  Duration lifetime_;
  std::optional<NodeDockerConfig> cached_;
  Timestamp expires_at_{};
  int searches_ = 0;
};

}  // namespace pullsim::credentials
