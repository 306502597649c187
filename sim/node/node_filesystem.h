#pragma once
// A node's simulated file system: absolute paths to bytes, with directory and file modes, atomic
// writes (".tmp" then rename, as the kubelet writes its pull records, KEP2535-06) and injectable
// faults so tests can make a read or write fail.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::node {

class NodeFileSystem {
 public:
  struct File {
    std::string bytes;
    unsigned mode = 0644;
  };

  // The bytes at `path`; kNotFound when absent, or the injected fault.
  [[nodiscard]] Result<std::string> Read(std::string_view path) const;
  [[nodiscard]] bool Exists(std::string_view path) const;
  // Writes `path + ".tmp"` then renames it to `path`, creating missing parent directories with
  // `dir_mode`. An injected fault leaves the target untouched and no ".tmp" behind.
  [[nodiscard]] Result<void> WriteAtomic(std::string_view path, std::string bytes,
                                         unsigned mode = 0600, unsigned dir_mode = 0700);
  // Removes `path`; absent is not an error.
  [[nodiscard]] Result<void> Remove(std::string_view path);
  // Creates `path` and its parents.
  void MakeDirs(std::string_view path, unsigned mode = 0755);
  // Names of the regular files directly inside `dir`, sorted.
  [[nodiscard]] std::vector<std::string> List(std::string_view dir) const;
  [[nodiscard]] const File* Stat(std::string_view path) const;
  [[nodiscard]] bool IsDir(std::string_view path) const { return dirs_.contains(path); }
  [[nodiscard]] unsigned DirMode(std::string_view path) const;

  // Faults: every Read / write (WriteAtomic, Remove) of a path starting with `prefix` fails with
  // kUnavailable and `message` until cleared.
  void FailReads(std::string prefix, std::string message);
  void FailWrites(std::string prefix, std::string message);
  void ClearFaults();

  [[nodiscard]] const std::map<std::string, File, std::less<>>& files() const { return files_; }

 private:
  [[nodiscard]] const std::string* Fault(const std::map<std::string, std::string>& faults,
                                         std::string_view path) const;

  std::map<std::string, File, std::less<>> files_;
  std::map<std::string, unsigned, std::less<>> dirs_;
  std::map<std::string, std::string> read_faults_;
  std::map<std::string, std::string> write_faults_;
};

// `dir` + "/" + `name`, without doubling a trailing '/'.
[[nodiscard]] std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace pullsim::node
