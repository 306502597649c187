#pragma once
// Where a node looks for its docker config (CRED-02, CRED-03), over the node's simulated file
// system: config.json in the root dir, the working dir, $HOME/.docker and /.docker; only when
// none of them is usable, .dockercfg in the root dir, the working dir, $HOME and /. The first
// file that exists AND parses wins and ends the search, even when it holds no credentials.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/credentials/docker_config.h"

namespace pullsim::credentials {

// A node's files, as the kubelet process would read them.
class NodeFileSystem {
 public:
  virtual ~NodeFileSystem() = default;
  // The bytes of the file at absolute `path`; kNotFound when it does not exist, another code
  // (kPermissionDenied, ...) when it exists but cannot be read.
  [[nodiscard]] virtual Result<std::string> ReadFile(std::string_view path) const = 0;
};

// A file system held in memory: path -> bytes.
class MapFileSystem final : public NodeFileSystem {
 public:
  MapFileSystem() = default;
  MapFileSystem(std::initializer_list<std::pair<const std::string, std::string>> files)
      : files_(files) {}
  void Write(std::string path, std::string bytes) { files_[std::move(path)] = std::move(bytes); }
  void Remove(std::string_view path);
  [[nodiscard]] Result<std::string> ReadFile(std::string_view path) const override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

// The kubelet process facts the search depends on.
struct KubeletPaths {
  std::string root_dir = "/var/lib/kubelet";  // --root-dir, the "preferred path"
  std::string working_dir = "/";              // the process's current directory
  // $HOME; empty when unset, in which case upstream's paths fall back to relative ones that
  // resolve against working_dir (os.UserHomeDir fails, homeDirPath is "").
  std::string home_dir = "/root";
};

struct SearchCandidate {
  std::string path;  // absolute
  DockerConfigFormat format;
};

// CRED-02/03: the eight candidate files in the order the kubelet tries them.
[[nodiscard]] std::vector<SearchCandidate> DockerConfigSearchPath(const KubeletPaths& paths);

// A candidate that was passed over, and why (not found, unreadable, does not parse).
struct SkippedFile {
  std::string path;
  Error reason;
};

// The node's docker config as the kubelet finds it.
struct NodeDockerConfig {
  std::optional<std::string> file_used;  // nullopt: nothing usable, empty node keyring
  DockerConfigFormat format = DockerConfigFormat::kConfigJson;
  DockerConfig config;
  std::vector<std::string> warnings;  // from the file used (ignored credential helpers, ...)
  std::vector<SkippedFile> skipped;   // files before it that existed but were not usable
};

// CRED-02/03: searches `candidates` in order; the first that exists and parses wins.
[[nodiscard]] NodeDockerConfig FindNodeDockerConfig(const NodeFileSystem& files,
                                                    const std::vector<SearchCandidate>& candidates);
[[nodiscard]] NodeDockerConfig FindNodeDockerConfig(const NodeFileSystem& files,
                                                    const KubeletPaths& paths);

}  // namespace pullsim::credentials
