#include "sim/node/node_filesystem.h"

#include "sim/node/kubelet_constants.h"

namespace pullsim::node {
namespace {

std::string_view Parent(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return {};
  return slash == 0 ? std::string_view("/") : path.substr(0, slash);
}

}  // namespace

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path += '/';
  path += name;
  return path;
}

const std::string* NodeFileSystem::Fault(const std::map<std::string, std::string>& faults,
                                         std::string_view path) const {
  for (const auto& [prefix, message] : faults) {
    if (path.starts_with(prefix)) return &message;
  }
  return nullptr;
}

Result<std::string> NodeFileSystem::Read(std::string_view path) const {
  if (const std::string* fault = Fault(read_faults_, path)) {
    return Fail(ErrorCode::kUnavailable, "open " + std::string(path) + ": " + *fault);
  }
  auto it = files_.find(path);
  if (it == files_.end()) {
    return Fail(ErrorCode::kNotFound, "open " + std::string(path) + ": no such file or directory");
  }
  return it->second.bytes;
}

bool NodeFileSystem::Exists(std::string_view path) const {
  return files_.contains(path) || dirs_.contains(path);
}

void NodeFileSystem::MakeDirs(std::string_view path, unsigned mode) {
  for (std::string_view dir = path; !dir.empty() && dir != "/"; dir = Parent(dir)) {
    dirs_.emplace(std::string(dir), mode);
  }
}

Result<void> NodeFileSystem::WriteAtomic(std::string_view path, std::string bytes, unsigned mode,
                                         unsigned dir_mode) {
  const std::string tmp = std::string(path) + std::string(kTmpFileSuffix);
  if (const std::string* fault = Fault(write_faults_, path)) {
    return Fail(ErrorCode::kUnavailable,
                "failed to create temporary file " + GoQuote(tmp) + ": " + *fault);
  }
  MakeDirs(Parent(path), dir_mode);
  // The ".tmp" file exists only between the write and the rename, which a single-threaded
  // simulation never observes; the target is replaced in one step.
  files_[std::string(path)] = File{std::move(bytes), mode};
  return {};
}

Result<void> NodeFileSystem::Remove(std::string_view path) {
  if (const std::string* fault = Fault(write_faults_, path)) {
    return Fail(ErrorCode::kUnavailable, "remove " + std::string(path) + ": " + *fault);
  }
  auto it = files_.find(path);
  if (it != files_.end()) files_.erase(it);
  return {};
}

std::vector<std::string> NodeFileSystem::List(std::string_view dir) const {
  std::vector<std::string> names;
  const std::string prefix = JoinPath(dir, "");
  for (auto it = files_.lower_bound(prefix); it != files_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    std::string_view name = std::string_view(it->first).substr(prefix.size());
    if (name.find('/') == std::string_view::npos) names.emplace_back(name);
  }
  return names;
}

const NodeFileSystem::File* NodeFileSystem::Stat(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

unsigned NodeFileSystem::DirMode(std::string_view path) const {
  auto it = dirs_.find(path);
  return it == dirs_.end() ? 0 : it->second;
}

void NodeFileSystem::FailReads(std::string prefix, std::string message) {
  read_faults_[std::move(prefix)] = std::move(message);
}

void NodeFileSystem::FailWrites(std::string prefix, std::string message) {
  write_faults_[std::move(prefix)] = std::move(message);
}

void NodeFileSystem::ClearFaults() {
  read_faults_.clear();
  write_faults_.clear();
}

}  // namespace pullsim::node
