#pragma once
// The parts of Go's path/filepath the kubelet's credential code uses: filepath.Match for the
// per-label host globs of registry keys (CRED-07), and Clean/Join/Abs for the docker config
// search path (CRED-02, CRED-03).

#include <string>
#include <string_view>

namespace pullsim::credentials::internal {

// filepath.Match on Unix: shell globbing of one name. Sets *bad_pattern (when given) and
// returns false for a malformed pattern.
[[nodiscard]] bool GlobMatch(std::string_view pattern, std::string_view name,
                             bool* bad_pattern = nullptr);

// True when `text` has a character filepath.Match treats specially (* ? [ \).
[[nodiscard]] bool HasGlobMeta(std::string_view text);

// filepath.Clean.
[[nodiscard]] std::string CleanPath(std::string_view path);

// filepath.Abs(filepath.Join(dir, name)) with `cwd` as the process working directory.
[[nodiscard]] std::string AbsoluteJoin(std::string_view cwd, std::string_view dir,
                                       std::string_view name);

}  // namespace pullsim::credentials::internal
