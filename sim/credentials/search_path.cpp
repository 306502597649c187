#include "sim/credentials/search_path.h"

#include "sim/credentials/internal/go_filepath.h"

namespace pullsim::credentials {

void MapFileSystem::Remove(std::string_view path) {
  auto it = files_.find(path);
  if (it != files_.end()) files_.erase(it);
}

Result<std::string> MapFileSystem::ReadFile(std::string_view path) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    return Fail(ErrorCode::kNotFound, "no such file or directory", std::string(path));
  }
  return it->second;
}

std::vector<SearchCandidate> DockerConfigSearchPath(const KubeletPaths& paths) {
  // config.go: DefaultDockerConfigJSONPaths and DefaultDockercfgPaths, each joined with its
  // file name and made absolute against the working directory (an empty entry means "here").
  std::string home_docker = paths.home_dir.empty() ? ".docker" : paths.home_dir + "/.docker";
  std::vector<SearchCandidate> candidates;
  for (std::string_view dir : {std::string_view(paths.root_dir), std::string_view(),
                               std::string_view(home_docker), std::string_view("/.docker")}) {
    candidates.push_back({internal::AbsoluteJoin(paths.working_dir, dir, "config.json"),
                          DockerConfigFormat::kConfigJson});
  }
  for (std::string_view dir : {std::string_view(paths.root_dir), std::string_view(),
                               std::string_view(paths.home_dir), std::string_view("/")}) {
    candidates.push_back({internal::AbsoluteJoin(paths.working_dir, dir, ".dockercfg"),
                          DockerConfigFormat::kDockercfg});
  }
  return candidates;
}

NodeDockerConfig FindNodeDockerConfig(const NodeFileSystem& files,
                                      const std::vector<SearchCandidate>& candidates) {
  NodeDockerConfig found;
  // CRED-03: .dockercfg candidates count only when no config.json candidate was usable; the
  // order of `candidates` (all config.json first) already says so.
  for (const SearchCandidate& candidate : candidates) {
    auto bytes = files.ReadFile(candidate.path);
    if (!bytes) {
      if (bytes.error().code != ErrorCode::kNotFound) {
        found.skipped.push_back({candidate.path, bytes.error()});
      }
      continue;
    }
    auto parsed = ParseDockerConfig(*bytes, candidate.format, candidate.path);
    if (!parsed) {
      // CRED-02: unparsable files are skipped and the search goes on.
      found.skipped.push_back({candidate.path, parsed.error()});
      continue;
    }
    found.file_used = candidate.path;
    found.format = candidate.format;
    found.config = std::move(parsed->config);
    found.warnings = std::move(parsed->warnings);
    return found;
  }
  return found;
}

NodeDockerConfig FindNodeDockerConfig(const NodeFileSystem& files, const KubeletPaths& paths) {
  return FindNodeDockerConfig(files, DockerConfigSearchPath(paths));
}

}  // namespace pullsim::credentials
