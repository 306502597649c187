#pragma once
// Repository names and tags as the Distribution API accepts them (distribution-spec v1.1
// "Pulling manifests": <name> and <reference> grammars), and the glob patterns that
// REGISTRY.yaml rules use to select repositories.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim::registry {

// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, at most 255
// characters. kInvalidArgument saying which component is wrong and why.
[[nodiscard]] Result<void> CheckRepositoryName(std::string_view name);

// `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. kInvalidArgument otherwise.
[[nodiscard]] Result<void> CheckTag(std::string_view tag);

// A repository pattern: '*' matches any run of characters except '/', '**' any run including
// '/', '?' one character other than '/'. "tenant-a/**" is every repository under tenant-a,
// "tenant-a/*" only its direct children, "**" everything.
class RepositoryGlob {
 public:
  RepositoryGlob() = default;
  // kInvalidArgument for an empty pattern or characters no repository name can contain.
  [[nodiscard]] static Result<RepositoryGlob> Parse(std::string_view pattern);

  [[nodiscard]] bool Matches(std::string_view repository) const;
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

 private:
  explicit RepositoryGlob(std::string pattern) : pattern_(std::move(pattern)) {}
  std::string pattern_;
};

// The same glob semantics over arbitrary text ('/' separates segments).
[[nodiscard]] bool GlobMatches(std::string_view pattern, std::string_view text);

}  // namespace pullsim::registry
